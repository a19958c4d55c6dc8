// A vega-lite spec to an SVG string, in Node, synchronously: vega-lite compiles the spec to vega,
// a headless vega View evaluates it (inline data only, so its dataflow runs to completion
// without awaiting anything), and vega's SVG string renderer draws the scenegraph, as
// View.toSVG() does without its promise. Text is measured by vega's font-size estimate, never a
// canvas, and the ids of clip paths and gradients are reset per chart and prefixed with the
// chart's id, so the same spec gives the same bytes in any process and ids never collide on a page.
// Every mark item gets an SVG <title> with its values, shown on hover.
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import * as vegaLite from "vega-lite";

/** What vega exports beyond its typings: the text metrics switch and the SVG string renderer. */
interface SvgStringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number]): SvgStringRenderer;
  background(color: unknown): SvgStringRenderer;
  render(scene: unknown): SvgStringRenderer;
  svg(): string;
}
const scenegraph = vega as unknown as {
  textMetrics: { canvas(use: boolean): void };
  SVGStringRenderer: new (loader: unknown) => SvgStringRenderer;
};

scenegraph.textMetrics.canvas(false);

/** The warnings vega-lite and vega logged while compiling and rendering. */
export interface RenderedSvg {
  svg: string;
  warnings: string[];
}

/** A vega logger that keeps warnings (and errors, which vega also throws) instead of printing them. */
function collectingLogger(warnings: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger: vega.LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level as never;
      level = value;
      return logger;
    },
    error: (...args: readonly unknown[]) => (
      warnings.push(`error: ${args.map(String).join(" ")}`), logger
    ),
    warn: (...args: readonly unknown[]) => (
      level >= vega.Warn && warnings.push(args.map(String).join(" ")), logger
    ),
    info: () => logger,
    debug: () => logger,
  } as vega.LoggerInterface;
  return logger;
}

interface HeadlessView {
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
}

export function renderSvg(spec: TopLevelSpec, id: string): RenderedSvg {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = vegaLite.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  view.run();
  // View.toSVG's renderHeadless, without awaiting: the size and origin the resize step just set.
  const { _viewWidth, _viewHeight, _origin } = view as unknown as HeadlessView;
  const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
  vega.resetSVGDefIds();
  const svg = new scenegraph.SVGStringRenderer(view.loader())
    .initialize(
      null,
      Math.max(0, _viewWidth + pad.left + pad.right),
      Math.max(0, _viewHeight + pad.top + pad.bottom),
      [pad.left + _origin[0], pad.top + _origin[1]],
    )
    .background(view.background())
    .render((view.scenegraph() as unknown as { root: unknown }).root)
    .svg()
    .replace(/(id="|url\(#)((?:p_)?(?:clip|gradient_)\d+)/g, `$1${id}-$2`);
  view.finalize();
  return { svg: withHoverTitles(svg), warnings };
}

/**
 * Gives every mark item (`role="graphics-symbol"`, which vega labels with its fields and values in
 * `aria-label`) an SVG `<title>` of the same text, so a browser shows the values on hover with no
 * script and no server. A line or an area is one path for a whole series, and vega's default
 * label for it (and for a text mark) is its first row's `field: value; field: value`, not a value
 * to show: those get a title only when the spec describes them (charts/hover.ts), which such a
 * description tells by having no "; ". The label is already escaped for an attribute, which suits
 * element text.
 */
export function withHoverTitles(svg: string): string {
  return svg.replace(
    /<(path|text|line|rect|circle) aria-label="([^"]*)"( role="graphics-symbol"[^>]*?)(\/?)>/g,
    (whole, tag: string, raw: string, rest: string, selfClosing: string) => {
      const label = roundedLabel(raw);
      const attributes = ` aria-label="${label}"${rest}`;
      const wholeSeries = tag === "text" || /aria-roledescription="(?:line|area) mark"/.test(rest);
      if (label === "" || (wholeSeries && label.includes("; ")))
        return `<${tag}${attributes}${selfClosing}>`;
      return selfClosing === "/"
        ? `<${tag}${attributes}><title>${label}</title></${tag}>`
        : `<${tag}${attributes}><title>${label}</title>`;
    },
  );
}

/**
 * vega's default label gives each field's value as the data holds it (`latency (ms): 2631.99`, a
 * histogram's bucket edge): a value with a fraction is given to 3 significant figures, the
 * precision the report prints (its histograms' buckets are 0.4% wide); whole numbers (counts,
 * times on the scrape grid) are left as they are.
 */
export function roundedLabel(label: string): string {
  return label.replace(
    /(: )(-?\d+\.\d+)(?=;|$| )/g,
    (_, sep: string, value: string) => `${sep}${Number(Number(value).toPrecision(3))}`,
  );
}
