"""The school's rules: who may do what, in which zone, and the record of what was done."""
