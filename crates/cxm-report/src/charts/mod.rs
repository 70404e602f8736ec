//! The charts: each one a function of plain data ([`data`], built from a round's
//! results by [`radar_data`], [`ladder_data`], [`trend_data`], [`heatmap_data`],
//! [`question_bars_data`], and from the plan by [`roadmap_data`]) drawn on any plotters [`DrawingBackend`], written once and
//! drawn two ways — SVG for the screen ([`chart_svg`], the `*_svg` helpers) and vector
//! operations for the PDF (the `draw_*` functions on the PDF backend).
//!
//! Every chart is laid out on a logical canvas 1000 px wide ([`CHART_WIDTH`]; the
//! height comes from the `*_size` functions) meant to be placed at the full text width
//! of the report (≈ 170 mm, so 18 px of text ≈ 9 pt). Drawn on an area of another
//! width, every length and font size scales with the width. Layout is measured with the
//! embedded Noto Sans ([`text_width`]), never with plotters' own estimate.
//!
//! Conventions shared with the PDF backend ([`crate::pdf`]):
//! - a text style's `size()` is the face's ascender − descender (ab_glyph's `PxScale`,
//!   what plotters measures with): the em is `size / 1.362` for Noto Sans. The SVG
//!   backend would write `font-size = size / 1.24`; the SVG helpers rewrite it to the em,
//!   so screen, print and the charts' own measurement agree;
//! - every text is anchored `VPos::Center`: the baseline half a capital height below
//!   the anchor (the SVG's `dy` is rewritten from plotters' `0.5ex` to match);
//! - no transparency (every colour is opaque; tints are pre-mixed with white), no
//!   rotated text, only glyphs present in Noto Sans (no arrows, ≥ or −).

use plotters::coord::Shift;
use plotters::prelude::*;
use std::sync::Once;

mod adapters;
pub mod data;
mod draw;
#[cfg(test)]
mod examples;
mod heatmap;
mod ladder;
mod question_bars;
mod radar;
mod roadmap;
pub mod theme;
mod trend;

pub use adapters::{
    ROADMAP_QUARTERS, heatmap_data, ladder_data, plan_order, question_bars_data, radar_data,
    roadmap_data, trend_data,
};
pub use draw::text_width;
pub use heatmap::{draw_heatmap, heatmap_size, heatmap_svg};
pub use ladder::{draw_ladder, ladder_size, ladder_svg};
pub use question_bars::{draw_question_bars, question_bars_size, question_bars_svg};
pub use radar::{RADAR_SIZE, draw_radar, radar_size, radar_svg};
pub use roadmap::{MAX_STACK, draw_roadmap, roadmap_size, roadmap_svg};
pub use trend::{TREND_SIZE, draw_trend, trend_size, trend_svg};

/// The logical width of every chart canvas, in px.
pub const CHART_WIDTH: u32 = 1000;

/// Noto Sans Regular and Bold (SIL OFL 1.1), the charts' font: the same bytes the PDF
/// embeds.
pub use crate::pdf::fonts::{BOLD_TTF as FONT_BOLD, REGULAR_TTF as FONT_REGULAR};

/// A chart could not be drawn (the backend failed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("chart drawing failed: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// A chart and its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Radar of M_b.
    Radar(data::RadarData),
    /// Phase ladder.
    Ladder(data::LadderData),
    /// Trend over rounds.
    Trend(data::TrendData),
    /// Alignment heatmap.
    Heatmap(data::HeatmapData),
    /// One block's question bars.
    QuestionBars(data::QuestionBarsData),
    /// The plan as a timeline by quarter.
    Roadmap(data::RoadmapData),
}

impl Chart {
    /// Every text of the chart's data (labels, names, captions in the chart).
    pub fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            Chart::Radar(d) => {
                out.extend(d.axes.iter().map(String::as_str));
                out.extend(d.phases.iter().map(String::as_str));
                out.extend(d.series.iter().map(|s| s.label.as_str()));
            }
            Chart::Ladder(d) => {
                out.extend(d.phases.iter().map(String::as_str));
                out.extend(d.blocks.iter().map(|b| b.name.as_str()));
            }
            Chart::Trend(d) => {
                out.extend(d.rounds.iter().map(String::as_str));
                out.extend(d.phases.iter().map(String::as_str));
                out.extend(d.blocks.iter().map(|b| b.0.as_str()));
            }
            Chart::Heatmap(d) => {
                out.extend(d.blocks.iter().map(String::as_str));
                out.extend(d.groups.iter().map(|g| g.name.as_str()));
            }
            Chart::QuestionBars(d) => {
                out.push(&d.block);
                for (label, questions) in &d.phases {
                    out.push(label);
                    out.extend(questions.iter().map(|q| q.0.as_str()));
                }
            }
            Chart::Roadmap(d) => {
                out.extend(d.columns.iter().map(String::as_str));
                for lane in &d.lanes {
                    out.push(&lane.block);
                    for item in &lane.items {
                        out.push(&item.title);
                        out.extend(item.owner.as_deref());
                    }
                }
                out.push(&d.today_label);
            }
        }
        out
    }

    /// The logical canvas size the chart is drawn on.
    pub fn size(&self) -> (u32, u32) {
        match self {
            Chart::Radar(d) => radar_size(d),
            Chart::Ladder(d) => ladder_size(d),
            Chart::Trend(d) => trend_size(d),
            Chart::Heatmap(d) => heatmap_size(d),
            Chart::QuestionBars(d) => question_bars_size(d),
            Chart::Roadmap(d) => roadmap_size(d),
        }
    }

    /// Draws the chart on any plotters backend.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        match self {
            Chart::Radar(d) => draw_radar(area, d),
            Chart::Ladder(d) => draw_ladder(area, d),
            Chart::Trend(d) => draw_trend(area, d),
            Chart::Heatmap(d) => draw_heatmap(area, d),
            Chart::QuestionBars(d) => draw_question_bars(area, d),
            Chart::Roadmap(d) => draw_roadmap(area, d),
        }
    }

    /// The accessible name of the chart (plain words: no markup to escape).
    fn name(&self) -> &'static str {
        match self {
            Chart::Radar(_) => {
                "Radar chart of each building block's maturity, with the comparison round and the target"
            }
            Chart::Ladder(_) => "Phase ladder: the phase each building block reached",
            Chart::Trend(_) => {
                "Trend of block maturity and the organisation's phase over the rounds"
            }
            Chart::Heatmap(_) => "Alignment heatmap: block attainment by role group",
            Chart::QuestionBars(_) => "Attainment of each question of the block, by phase",
            Chart::Roadmap(_) => {
                "Roadmap: the plan's items by due quarter and building block, with owner and status"
            }
        }
    }
}

/// A chart as SVG, for the screen and the HTML report, named for screen readers
/// (`aria-label` on its `role="img"` root; the figures are also on the page as text).
pub fn chart_svg(chart: &Chart) -> String {
    let svg = match chart {
        Chart::Radar(d) => radar_svg(d),
        Chart::Ladder(d) => ladder_svg(d),
        Chart::Trend(d) => trend_svg(d),
        Chart::Heatmap(d) => heatmap_svg(d),
        Chart::QuestionBars(d) => question_bars_svg(d),
        Chart::Roadmap(d) => roadmap_svg(d),
    };
    svg.replacen(
        " role=\"img\">",
        &format!(" role=\"img\" aria-label=\"{}\">", chart.name()),
        1,
    )
}

/// Registers the embedded Noto Sans (regular and bold) with plotters under the family
/// [`theme::FONT`], once per process. Only backends that rasterise text through plotters
/// need it; calling it again, or after the PDF layer registered the same family, is
/// harmless.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let regular = plotters::style::register_font(theme::FONT, FontStyle::Normal, FONT_REGULAR);
        let bold = plotters::style::register_font(theme::FONT, FontStyle::Bold, FONT_BOLD);
        assert!(
            regular.is_ok() && bold.is_ok(),
            "the embedded Noto Sans is a valid font"
        );
    });
}

/// Draws a chart into an SVG string of the given logical size, made to scale on screen:
/// `width="100%"` with a `viewBox`, text as real `<text>` in "Noto Sans", sans-serif.
fn svg_of(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> String {
    register_fonts();
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        // Drawing into a string cannot fail; a failure here is a bug in the chart code.
        draw(&area).expect("drawing a chart into an SVG string");
        area.present().expect("finishing an SVG string");
    }
    tidy_svg(&buf, size)
}

/// Post-processes plotters' SVG: a scalable root element, a font fallback, font sizes as
/// the em the PDF uses (plotters writes `size / 1.24`, with floating-point noise), text
/// centred on its capitals as in the PDF, no redundant opacity.
fn tidy_svg(svg: &str, (w, h): (u32, u32)) -> String {
    let em_per_svg_size = 1.24 / draw::size_per_em(false);
    let root_plotters = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let root = format!(
        "<svg width=\"100%\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" \
         font-family=\"'Noto Sans', sans-serif\" role=\"img\">"
    );
    let svg = svg
        .replacen(&root_plotters, &root, 1)
        .replace(" opacity=\"1\"", "")
        .replace(
            "dy=\"0.5ex\"",
            &format!("dy=\"{:.3}em\"", draw::half_cap_height()),
        )
        .replace(
            "font-family=\"Noto Sans\"",
            "font-family=\"'Noto Sans', sans-serif\"",
        );
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    const KEY: &str = "font-size=\"";
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(v) => {
                let s = format!("{:.2}", v * em_per_svg_size);
                out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
            }
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
