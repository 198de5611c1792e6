// Analysis mask editor: "clear" unticks every cell; a picture that cannot load is hidden.
document.querySelectorAll("[data-mask=clear]").forEach((button) => {
  button.addEventListener("click", () => {
    button.closest("form").querySelectorAll("input[name=cell]").forEach((box) => { box.checked = false; });
  });
});
document.querySelectorAll(".mask-picture").forEach((img) => {
  img.addEventListener("error", () => { img.hidden = true; });
});
