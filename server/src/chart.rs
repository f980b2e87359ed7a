//! Bar charts drawn on the server as inline SVG (the office's figures): no script, no style
//! attribute (the office's Content-Security-Policy allows neither), only presentation
//! attributes. Text and axes are `currentColor`, so they follow the page's text colour, and
//! the bars are mid-tone colours that read on a light or a dark background. Each chart is an
//! image with a title for assistive technology; the table beside it holds the numbers.
//! Every element is closed with an end tag: inline in HTML, an SVG `<rect>` written without
//! one (maud's `;`) stays open and swallows everything after it.

use maud::{html, Markup};

/// The drawing's size in its own units (it scales to the page's width).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
/// The plot area.
const LEFT: f64 = 56.0;
const RIGHT: f64 = 628.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 220.0;

/// The series' colours, in order: blue, red, green, amber (each at least 3:1 against white
/// and against black).
const COLOURS: [&str; 4] = ["#3b82f6", "#ef4444", "#10b981", "#f59e0b"];

/// One series: its name (the legend) and a value per label.
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// A grouped bar chart: per label, one bar of each series.
pub struct Bars<'a> {
    /// What the chart shows: its `<title>` and accessible name.
    pub title: &'a str,
    pub labels: &'a [String],
    pub series: &'a [Series],
    /// After each tick's number (`%` for a rate).
    pub unit: &'a str,
    /// The top of the scale when it is fixed (100 for a rate), else from the data.
    pub max: Option<u64>,
    /// What the chart says when there is nothing to draw.
    pub empty: &'a str,
}

/// The scale's top and its step: the smallest 1, 2 or 5 × 10ⁿ step that reaches `max` in at
/// most five steps (a top of at least 1, so an empty chart still has an axis).
pub fn scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut magnitude = 1u64;
    loop {
        for step in [magnitude, magnitude * 2, magnitude * 5] {
            if step.saturating_mul(5) >= max {
                return (max.div_ceil(step).saturating_mul(step), step);
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// The chart as an inline `<svg>`.
pub fn bars(chart: &Bars) -> Markup {
    let highest = chart.series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
    let nothing = chart.labels.is_empty() || chart.series.is_empty() || (highest == 0 && chart.max.is_none());
    let (top, step) = match chart.max {
        Some(max) => scale(max.max(highest)),
        None => scale(highest),
    };
    let y = |value: u64| BOTTOM - (BOTTOM - TOP) * value as f64 / top as f64;
    let group = (RIGHT - LEFT) / chart.labels.len().max(1) as f64;
    let bar = group * 0.8 / chart.series.len().max(1) as f64;
    let ticks: Vec<u64> = (0..=top / step).map(|n| n * step).collect();
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(chart.title)
            width="100%" preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif" font-size="12" fill="currentColor" {
            title { (chart.title) }
            @if nothing {
                text x=(WIDTH / 2.0) y=(HEIGHT / 2.0) text-anchor="middle" { (chart.empty) }
            } @else {
                // The legend.
                @for (n, s) in chart.series.iter().enumerate() {
                    rect x=(fmt(LEFT + 150.0 * n as f64)) y="8" width="12" height="12" fill=(COLOURS[n % COLOURS.len()]) {}
                    text x=(fmt(LEFT + 150.0 * n as f64 + 18.0)) y="19" { (s.name) }
                }
                // The value axis: gridlines and numbers.
                @for tick in &ticks {
                    line x1=(LEFT) x2=(RIGHT) y1=(fmt(y(*tick))) y2=(fmt(y(*tick))) stroke="currentColor" stroke-opacity="0.25" {}
                    text x=(LEFT - 6.0) y=(fmt(y(*tick) + 4.0)) text-anchor="end" { (tick) (chart.unit) }
                }
                line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(BOTTOM) stroke="currentColor" {}
                line x1=(LEFT) x2=(RIGHT) y1=(BOTTOM) y2=(BOTTOM) stroke="currentColor" {}
                // The bars, each with its value as a tooltip, and the labels under them.
                @for (l, label) in chart.labels.iter().enumerate() {
                    @let x0 = LEFT + group * l as f64 + group * 0.1;
                    @for (n, s) in chart.series.iter().enumerate() {
                        @let value = s.values.get(l).copied().unwrap_or(0);
                        rect.bar x=(fmt(x0 + bar * n as f64)) y=(fmt(y(value))) width=(fmt(bar)) height=(fmt(BOTTOM - y(value)))
                            fill=(COLOURS[n % COLOURS.len()]) {
                            title { (label) " · " (s.name) ": " (value) (chart.unit) }
                        }
                    }
                    @let cx = LEFT + group * (l as f64 + 0.5);
                    text x=(fmt(cx)) y=(BOTTOM + 14.0) text-anchor="end" transform=(format!("rotate(-35 {} {})", fmt(cx), BOTTOM + 14.0)) {
                        (label)
                    }
                }
            }
        }
    }
}

/// A coordinate with at most one decimal.
fn fmt(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(labels: &[&str], series: Vec<Series>, max: Option<u64>) -> String {
        let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        bars(&Bars { title: "Found <per> month", labels: &labels, series: &series, unit: "", max, empty: "No data 无数据" }).into_string()
    }

    #[test]
    fn the_scale_steps_by_one_two_or_five() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(1), (1, 1));
        assert_eq!(scale(3), (3, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(23), (25, 5));
        assert_eq!(scale(100), (100, 20));
        assert_eq!(scale(50_001), (60_000, 20_000));
        assert!(scale(u64::MAX).0 == u64::MAX, "no overflow at the top");
    }

    #[test]
    fn bars_stand_on_the_axis_in_proportion() {
        let svg = chart(&["2026-01", "2026-02"], vec![Series { name: "Found".into(), values: vec![4, 2] }], None);
        assert!(svg.starts_with("<svg class=\"chart\"") && svg.contains("role=\"img\""), "{svg}");
        // Scale 0..4: the bar of 4 spans the plot (40..220), the bar of 2 half of it.
        assert!(svg.contains("y=\"40\" width=\"228.8\" height=\"180\""), "{svg}");
        assert!(svg.contains("y=\"130\" width=\"228.8\" height=\"90\""), "{svg}");
        assert!(svg.contains("<title>2026-02 · Found: 2</title>"), "{svg}");
        assert!(!svg.contains("style="), "the CSP allows no style attribute");
        for element in ["rect", "line", "text", "title"] {
            let (open, close) = (
                svg.matches(&format!("<{element} ")).count() + svg.matches(&format!("<{element}>")).count(),
                svg.matches(&format!("</{element}>")).count(),
            );
            assert_eq!(open, close, "every <{element}> closed (an HTML parser leaves an unclosed SVG element open): {svg}");
        }
    }

    #[test]
    fn one_value_and_a_fixed_scale() {
        let svg = chart(&["all"], vec![Series { name: "Rate".into(), values: vec![33] }], Some(100));
        assert!(svg.contains(">100</text>") && svg.contains(">0</text>"), "ticks to 100: {svg}");
        assert!(svg.contains("height=\"59.4\""), "33 of 100 over 180: {svg}");
    }

    #[test]
    fn nothing_to_draw_says_so() {
        let none = chart(&[], vec![], None);
        assert!(none.contains("No data 无数据") && !none.contains("<rect"), "{none}");
        let zeros = chart(&["a"], vec![Series { name: "x".into(), values: vec![0] }], None);
        assert!(zeros.contains("No data 无数据"), "{zeros}");
    }

    #[test]
    fn labels_names_and_titles_are_escaped() {
        let svg = chart(&["<script>x</script>"], vec![Series { name: "a&b\"".into(), values: vec![1] }], None);
        assert!(svg.contains("&lt;script&gt;x&lt;/script&gt;") && !svg.contains("<script>"), "{svg}");
        assert!(svg.contains("a&amp;b&quot;"), "{svg}");
        assert!(svg.contains("aria-label=\"Found &lt;per&gt; month\"") && svg.contains("<title>Found &lt;per&gt; month</title>"), "{svg}");
    }
}
