// Fills the hidden latitude / longitude / accuracy_m inputs of the page from the browser's
// location, when the user allows it. A visit is filed with or without a location.
(function () {
  "use strict";
  var status = document.querySelector("[data-geo-status]");
  var texts = document.getElementById("geo-messages");
  function say(key, value) {
    if (status && texts && texts.dataset[key]) {
      status.textContent = texts.dataset[key] + (value ? " ±" + value + " m" : "");
    }
  }
  function fill(name, value) {
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      input.value = value;
    });
  }
  if (!("geolocation" in navigator) || !document.querySelector('input[name="latitude"]')) {
    say("off");
    return;
  }
  say("pending");
  navigator.geolocation.getCurrentPosition(
    function (position) {
      var c = position.coords;
      fill("latitude", c.latitude.toFixed(6));
      fill("longitude", c.longitude.toFixed(6));
      fill("accuracy_m", Math.round(c.accuracy));
      say("ok", Math.round(c.accuracy));
    },
    function () {
      say("off");
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 120000 }
  );
})();
