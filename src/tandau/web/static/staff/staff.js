// Draws every Vega-Lite chart of the staff pages (specs in data-spec attributes, built by tandau.web.charts).
// Expressions run through vega-interpreter: the site's CSP forbids eval. Charts re-draw after HTMX swaps.
import { expressionInterpreter } from '/staff/assets/vega-interpreter.js';

async function draw(root) {
  for (const el of root.querySelectorAll('.vega-chart[data-spec]')) {
    if (el.dataset.drawn) continue;
    el.dataset.drawn = '1';
    try {
      const spec = JSON.parse(el.dataset.spec);
      await window.vegaEmbed(el, spec, {
        ast: true, expr: expressionInterpreter, renderer: 'svg', defaultStyle: false, tooltip: false,
        actions: { export: true, source: false, compiled: false, editor: false },
        i18n: { SVG_ACTION: el.dataset.svg, PNG_ACTION: el.dataset.png },
      });
      el.classList.add('drawn');
    } catch (err) {
      el.dataset.error = String(err);
      console.error('chart', err);
    }
  }
}

draw(document);
document.body.addEventListener('htmx:afterSwap', (event) => draw(event.target));
