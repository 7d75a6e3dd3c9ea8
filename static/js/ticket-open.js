// A person of several schools is offered the chosen school's cases and kits only.
(function () {
  var school = document.querySelector("select#id_school");
  if (!school) return;
  var lists = ["id_case", "id_kit"].map(function (id) { return document.getElementById(id); })
    .filter(function (list) { return list && list.tagName === "SELECT"; });
  function filter() {
    lists.forEach(function (list) {
      Array.prototype.forEach.call(list.options, function (option) {
        var hidden = Boolean(option.value) && option.dataset.school !== school.value;
        option.hidden = hidden;
        option.disabled = hidden;
        if (hidden && option.selected) list.value = "";
      });
    });
  }
  school.addEventListener("change", filter);
  filter();
})();
