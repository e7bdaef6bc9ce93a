/*
 * KEK Geo's map frame: shows a map prepared by kek_geo.ui.mapview in a Streamlit component.
 *
 * It speaks Streamlit's custom component protocol (version 1): it says it is ready at once,
 * then receives the map with every rerun ("streamlit:render"). The first render loads the
 * map's scripts (in parallel, run in order) and runs its Leaflet script once; later renders
 * only swap the overlay (another indicator's colours, other threshold layers), so the map
 * and its view stay. What the user does (a click, a drawn shape, a move) is sent back as the
 * component's value, limited to the returned objects the page asked for.
 */
(function () {
  "use strict";

  var starting = null; // promise of the first render's map
  var latest = null; // arguments of the latest render
  var overlayShown = null;
  var heightShown = null;
  var returned = [];
  var data = {};
  var sent = null; // JSON of the value the page has (its default, then what was sent)
  var clicked = null; // the layer under the last click, until the click is reported
  var reportTimer = null;

  function post(type, fields) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(fields || {}).forEach(function (key) {
      message[key] = fields[key];
    });
    window.parent.postMessage(message, "*");
  }

  function valueOf(source) {
    var value = {};
    returned.forEach(function (key) {
      value[key] = source[key] === undefined ? null : source[key];
    });
    return value;
  }

  function report() {
    reportTimer = null;
    var value = valueOf(data);
    var text = JSON.stringify(value);
    if (text !== sent) {
      sent = text;
      post("streamlit:setComponentValue", { value: value, dataType: "json" });
    }
  }

  function reportSoon(delay) {
    if (reportTimer !== null) window.clearTimeout(reportTimer);
    reportTimer = window.setTimeout(report, delay);
  }

  function plainText(content, layer) {
    if (typeof content === "function") content = content(layer);
    if (content && content.nodeType) return content.innerText || content.textContent || "";
    var box = document.createElement("div");
    box.innerHTML = String(content === undefined || content === null ? "" : content);
    return (box.innerText || box.textContent || "").trim();
  }

  function tooltipText(layers) {
    for (var i = 0; i < layers.length; i++) {
      var tip = layers[i] && layers[i].getTooltip && layers[i].getTooltip();
      if (tip) return plainText(tip.getContent(), layers[0]);
    }
    return null;
  }

  function onLayerClick(event) {
    var layer = event.propagatedFrom || event.target;
    if (clicked !== null && clicked.layer === layer) return; // the same click, bubbling up
    clicked = { layer: layer, latlng: event.latlng, tooltip: tooltipText([layer, event.target]) };
    noteClick(event.latlng);
  }

  function onMapClick(event) {
    noteClick(event.latlng);
  }

  function noteClick(latlng) {
    data.last_clicked = { lat: latlng.lat, lng: latlng.lng };
    if (clicked !== null) {
      data.last_object_clicked = { lat: clicked.latlng.lat, lng: clicked.latlng.lng };
      data.last_object_clicked_tooltip = clicked.tooltip;
      if (typeof clicked.layer.toGeoJSON === "function") {
        data.last_active_drawing = clicked.layer.toGeoJSON();
      }
    }
    reportSoon(0);
    window.setTimeout(function () {
      clicked = null;
    }, 0);
  }

  function onDraw(event) {
    if (event.layer && typeof event.layer.toGeoJSON === "function") {
      data.last_active_drawing = event.layer.toGeoJSON();
      reportSoon(0);
    }
  }

  function onMove(map) {
    var bounds = map.getBounds();
    data.bounds = {
      _southWest: { lat: bounds.getSouth(), lng: bounds.getWest() },
      _northEast: { lat: bounds.getNorth(), lng: bounds.getEast() },
    };
    data.zoom = map.getZoom();
    var centre = map.getCenter();
    data.center = { lat: centre.lat, lng: centre.lng };
    reportSoon(200);
  }

  function wantsObjects() {
    return ["last_object_clicked", "last_object_clicked_tooltip", "last_active_drawing"].some(
      function (key) {
        return returned.indexOf(key) >= 0;
      }
    );
  }

  // Every layer answers clicks only where the page wants to know what was clicked.
  function listenToLayers(map) {
    if (!wantsObjects()) return;
    map.eachLayer(function (layer) {
      if (!layer.kekListens && typeof layer.on === "function") {
        layer.on("click", onLayerClick);
        layer.kekListens = true;
      }
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false; // fetched in parallel, run in the given order
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(script);
    });
  }

  function loadStyle(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function runScript(code) {
    var script = document.createElement("script");
    script.textContent = code;
    document.body.appendChild(script);
  }

  function setHeight(height) {
    if (height === heightShown) return;
    heightShown = height;
    document.getElementById("map_div").style.height = height + "px";
    post("streamlit:setFrameHeight", { height: height });
  }

  function start(args) {
    returned = args.returned_objects || [];
    sent = JSON.stringify(valueOf(args["default"] || {}));
    (args.css_links || []).forEach(loadStyle);
    document.head.insertAdjacentHTML("beforeend", args.header || "");
    if (args.html) {
      var box = document.createElement("div");
      box.innerHTML = args.html;
      document.body.appendChild(box);
    }
    setHeight(args.height);
    return Promise.all((args.js_links || []).map(loadScript)).then(function () {
      runScript(args.script + "\nwindow.map = map_div;");
      var map = window.map;
      map.on("click", onMapClick);
      map.on("draw:created", onDraw);
      if (returned.some(function (key) { return ["bounds", "zoom", "center"].indexOf(key) >= 0; })) {
        map.on("moveend", function () {
          onMove(map);
        });
      }
      listenToLayers(map);
      return map;
    });
  }

  function showOverlay(map, code) {
    if (code === overlayShown) return;
    (window.feature_group || []).forEach(function (layer) {
      map.removeLayer(layer);
    });
    window.feature_group = [];
    overlayShown = code;
    if (code) {
      (0, eval)(code); // a global script, like the map's own
    }
    listenToLayers(map);
  }

  function render(args) {
    latest = args;
    if (starting === null) starting = start(args);
    starting
      .then(function (map) {
        if (latest !== args) return; // a newer render follows
        setHeight(args.height);
        showOverlay(map, args.feature_group || null);
      })
      .catch(function (error) {
        document.getElementById("map_div").textContent = String(error);
        console.error(error);
      });
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (event.source !== window.parent || !message || message.type !== "streamlit:render") return;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        render(message.args);
      });
    } else {
      render(message.args);
    }
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();
