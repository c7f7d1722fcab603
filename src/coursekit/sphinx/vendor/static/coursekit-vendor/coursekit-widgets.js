/* coursekit: serve the ipywidgets embed manager from the book itself (no CDN).
 *
 * Loaded after require.js and before html-manager's embed-amd.js on pages that hold
 * widget state. It
 *  1. tells the embed manager where its webpack assets (Font Awesome fonts) live:
 *     window.__jupyter_widgets_assets_path__ and require.js paths for the AMD modules
 *     embed-amd.js defines (their webpack public path derives from the module URL);
 *  2. makes require.js resolve everything else against the book's _static folder, so
 *     a widget library missing from the bundle is looked up locally
 *     (coursekit-vendor/npm/..., see data-jupyter-widgets-cdn), never on a CDN;
 *  3. gives MathJax 3 the MathJax 2 call the widgets make (MathJax.Hub.Queue) so a
 *     page with both maths and widgets has no console error;
 *  4. names every slider by its visible label: the embed manager's slider handle
 *     (noUiSlider, role="slider") gets aria-labelledby pointing at the widget's
 *     description label, so a screen reader says "Pelvic tilt, slider, 10" instead of
 *     an unnamed slider (WCAG 4.1.2; axe aria-input-field-name).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var vendorDir = new URL(".", script.src);
  var managerDir = new URL("html-manager-1.0.15/", vendorDir);
  window.__jupyter_widgets_assets_path__ = managerDir.href;

  if (window.requirejs && window.requirejs.config) {
    var local = "coursekit-vendor/html-manager-1.0.15/";
    window.requirejs.config({
      baseUrl: new URL("..", vendorDir).href,
      paths: {
        "@jupyter-widgets/base": local + "base",
        "@jupyter-widgets/base7": local + "base7",
        "@jupyter-widgets/controls": local + "controls",
        "@jupyter-widgets/controls7": local + "controls7",
        "@jupyter-widgets/html-manager": local + "html-manager",
        "@jupyter-widgets/html-manager/dist/libembed-amd": local + "libembed-amd"
      }
    });
  }

  function shimMathJaxHub() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) {
      return;
    }
    mj.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        var run = function () {
          var current = window.MathJax;
          if (current && current.typesetPromise) {
            return current.typesetPromise(element ? [element] : undefined).catch(function (err) {
              console.warn("coursekit: MathJax could not typeset a widget label", err);
            });
          }
        };
        var startup = window.MathJax && window.MathJax.startup;
        if (startup && startup.promise) {
          startup.promise.then(run);
        } else {
          run();
        }
      }
    };
  }
  shimMathJaxHub();
  document.addEventListener("DOMContentLoaded", shimMathJaxHub);

  var labelCount = 0;
  function nameSliders(root) {
    var handles = (root || document).querySelectorAll(".jupyter-widgets [role='slider']:not([aria-labelledby]):not([aria-label])");
    Array.prototype.forEach.call(handles, function (handle) {
      var widget = handle.closest(".widget-slider, .widget-inline-hbox");
      var label = widget && widget.querySelector(".widget-label");
      if (!label || !label.textContent.trim()) {
        return;
      }
      if (!label.id) {
        labelCount += 1;
        label.id = "coursekit-widget-label-" + labelCount;
      }
      handle.setAttribute("aria-labelledby", label.id);
    });
  }
  function watchSliders() {
    nameSliders(document);
    if (window.MutationObserver && document.body) {
      new MutationObserver(function () { nameSliders(document); })
        .observe(document.body, { childList: true, subtree: true });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchSliders);
  } else {
    watchSliders();
  }
})();
