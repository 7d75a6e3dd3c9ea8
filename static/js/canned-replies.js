// A canned reply chosen in the list is added to the message being written.
(function () {
  var select = document.getElementById("id_canned");
  var body = document.getElementById("id_body");
  if (!select || !body) return;
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (option && option.dataset.body) {
      body.value = body.value ? body.value + "\n\n" + option.dataset.body : option.dataset.body;
      body.focus();
    }
  });
})();
