from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.school import STANDARD_ZONES, create_standard_zones
from camwarden.installation import Installation


def test_the_standard_school_zones_cover_every_place_in_article_1(
    sqlite_installation: Installation,
) -> None:
    with sqlite_installation.database.transaction() as session:
        zones = create_standard_zones(session, sqlite_installation.zones, SYSTEM_ACTOR)
    assert [zone.name for zone in zones] == [template.name for template in STANDARD_ZONES]
    assert {zone.kind for zone in zones} == {
        "gate",
        "yard",
        "corridor",
        "building_rear",
        "classroom",
        "it_room",
        "finance_room",
    }
