//! Phase ladder: one row per block, one column per phase; each cell a track filled to
//! the phase's attainment with the threshold marked, the reached phase as a step, the
//! organisation's phase as a line across all rows, the bottleneck flagged.

use super::data::{LadderCell, LadderData};
use super::draw::*;
use super::theme::{ALERT, EMPTY, GRID, INK, MUTED, block_colour};
use super::{CHART_WIDTH, ChartError, svg_of};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The ladder's canvas for `data`: [`CHART_WIDTH`] wide, as tall as its rows need.
pub fn ladder_size(data: &LadderData) -> (u32, u32) {
    let l = Layout::new(f64::from(CHART_WIDTH), data);
    (CHART_WIDTH, l.height.ceil() as u32)
}

/// The ladder as a scalable SVG document.
pub fn ladder_svg(data: &LadderData) -> String {
    svg_of(ladder_size(data), |area| draw_ladder(area, data))
}

const ROW: f64 = 66.0;
const PAD: f64 = 9.0;

struct Layout {
    s: f64,
    m: f64,
    flag_x: f64,
    name_x: f64,
    name_w: f64,
    x0: f64,
    col_w: f64,
    header: Vec<Vec<String>>,
    header_top: f64,
    rows_top: f64,
    row_h: f64,
    rows_bottom: f64,
    legend_top: f64,
    height: f64,
}

impl Layout {
    fn new(w: f64, data: &LadderData) -> Layout {
        let s = w / f64::from(CHART_WIDTH);
        let m = 16.0 * s;
        let flag_x = m + 9.0 * s;
        let name_x = m + 24.0 * s;
        let widest = data
            .blocks
            .iter()
            .map(|b| {
                let (reached, flag) = second_line(b.reached, b.bottleneck);
                let flag_w = flag.map_or(0.0, |f| text_width(f, SMALL * s, true));
                text_width(&b.name, LABEL * s, true)
                    .max(text_width(&reached, SMALL * s, false) + flag_w)
            })
            .fold(120.0 * s, f64::max);
        let name_w = widest.min(300.0 * s);
        let x0 = name_x + name_w + 18.0 * s;
        let n = data.phases.len().max(1);
        let col_w = (w - m - x0) / n as f64;
        let header: Vec<Vec<String>> = data
            .phases
            .iter()
            .map(|p| wrap(p, SMALL * s, true, col_w - 4.0 * s, 2))
            .collect();
        let lines = header.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let header_top = m;
        let rows_top = header_top + lines * SMALL * 1.3 * s + 10.0 * s;
        let row_h = ROW * s;
        let rows_bottom = rows_top + data.blocks.len() as f64 * row_h;
        let legend_top = rows_bottom + 52.0 * s;
        let legend_h = legend_height(&legend_items(data), w - 2.0 * m, s);
        let height = legend_top + legend_h + m - 6.0 * s;
        Layout {
            s,
            m,
            flag_x,
            name_x,
            name_w,
            x0,
            col_w,
            header,
            header_top,
            rows_top,
            row_h,
            rows_bottom,
            legend_top,
            height,
        }
    }
}

/// A row's second line: the reached phase (with a separator when a flag follows), and
/// the bottleneck flag, set in bold.
fn second_line(reached: u32, bottleneck: bool) -> (String, Option<&'static str>) {
    let text = if reached == 0 {
        "phase 1 not reached".to_string()
    } else {
        format!("reached phase {reached}")
    };
    if bottleneck {
        (format!("{text} · "), Some("bottleneck"))
    } else {
        (text, None)
    }
}

fn legend_items(data: &LadderData) -> Vec<LegendItem> {
    let mut colours: Vec<usize> = data.blocks.iter().map(|b| b.colour).collect();
    colours.dedup();
    let solid: Vec<RGBColor> = colours.iter().map(|&i| block_colour(i)).collect();
    let light: Vec<RGBColor> = colours.iter().map(|&i| below(block_colour(i))).collect();
    vec![
        LegendItem::new(Swatch::Stripes(solid), "passed: at or above the threshold"),
        LegendItem::new(Swatch::Stripes(light), "below the threshold"),
        LegendItem::new(
            Swatch::Tick(ALERT),
            format!("threshold {}", figure(data.threshold)),
        ),
        LegendItem::new(
            Swatch::Line {
                colour: INK,
                width: 5.0,
                dashed: false,
                marker: None,
            },
            "phase reached by the block",
        ),
        LegendItem::new(
            Swatch::Line {
                colour: INK,
                width: 2.5,
                dashed: true,
                marker: None,
            },
            "organisation's phase",
        ),
    ]
}

fn below(c: RGBColor) -> RGBColor {
    tint(c, 0.38)
}

/// Draws the ladder on `area` (laid out for [`ladder_size`], scaled to the area's width).
pub fn draw_ladder<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &LadderData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let l = Layout::new(c.w, data);
    let s = l.s;
    let n = data.phases.len();
    let x1 = c.w - l.m;

    // Header: phase names over their columns.
    let head = Font::new(SMALL).bold().colour(MUTED);
    for (j, lines) in l.header.iter().enumerate() {
        let xc = l.x0 + (j as f64 + 0.5) * l.col_w;
        for (k, line) in lines.iter().enumerate() {
            let y = l.header_top + (k as f64 + 0.5) * c.line_h(head);
            c.text(line, xc, y, head, Align::Centre)?;
        }
    }
    c.line(l.m, l.rows_top, x1, l.rows_top, tint(MUTED, 0.55), 1.0)?;

    let name_font = Font::new(LABEL);
    let bar_top = 34.0 * s;
    let bar_bottom = 54.0 * s;
    for (r, b) in data.blocks.iter().enumerate() {
        let top = l.rows_top + r as f64 * l.row_h;
        let colour = block_colour(b.colour);
        if b.bottleneck {
            c.fill_rect(
                l.m,
                top + 1.0,
                l.x0 - 8.0 * s,
                top + l.row_h - 1.0,
                tint(ALERT, 0.09),
            )?;
            c.flag(l.flag_x, top + 22.0 * s, 14.0, ALERT)?;
        }
        let name = fit(&b.name, LABEL * s, true, l.name_w);
        let font = if b.bottleneck {
            name_font.bold()
        } else {
            name_font
        };
        c.text(&name, l.name_x, top + 22.0 * s, font, Align::Left)?;
        let (reached, flag) = second_line(b.reached, b.bottleneck);
        let small = Font::new(SMALL).colour(MUTED);
        let mut runs = vec![(reached.as_str(), small)];
        if let Some(flag) = flag {
            runs.push((flag, Font::new(SMALL).bold().colour(ALERT)));
        }
        c.runs(&runs, l.name_x, top + 45.0 * s, Align::Left)?;

        for j in 0..n {
            let cell = b.cells.get(j).copied().unwrap_or(LadderCell::NotAssessed);
            let xa = l.x0 + j as f64 * l.col_w + PAD * s;
            let xb = l.x0 + (j + 1) as f64 * l.col_w - PAD * s;
            let (ya, yb) = (top + bar_top, top + bar_bottom);
            let value_y = top + 19.0 * s;
            let fill_to = |a: f64| xa + (xb - xa) * a.clamp(0.0, 1.0);
            match cell {
                LadderCell::Mastered(a) => {
                    c.fill_rect(xa, ya, xb, yb, EMPTY)?;
                    c.fill_rect(xa, ya, fill_to(a), yb, colour)?;
                    c.text(
                        &figure(a),
                        xa,
                        value_y,
                        Font::new(SMALL).bold(),
                        Align::Left,
                    )?;
                }
                LadderCell::Below(a) => {
                    c.fill_rect(xa, ya, xb, yb, EMPTY)?;
                    c.fill_rect(xa, ya, fill_to(a), yb, below(colour))?;
                    c.text(&figure(a), xa, value_y, Font::new(SMALL), Align::Left)?;
                }
                LadderCell::NotApplicable => {
                    c.hatch(xa, ya, xb, yb)?;
                    c.text(
                        "n/a",
                        xa,
                        value_y,
                        Font::new(SMALL).colour(MUTED),
                        Align::Left,
                    )?;
                }
                LadderCell::NotAssessed => {
                    c.stroke_rect(xa, ya, xb, yb, tint(MUTED, 0.55), 1.0)?;
                    c.text(
                        "–",
                        (xa + xb) / 2.0,
                        (ya + yb) / 2.0,
                        Font::new(SMALL).colour(MUTED),
                        Align::Centre,
                    )?;
                    c.text(
                        "not assessed",
                        xa,
                        value_y,
                        Font::new(SMALL).colour(MUTED),
                        Align::Left,
                    )?;
                }
            }
            let xt = fill_to(data.threshold);
            // A white rim keeps the tick visible on every fill, orange ones included.
            c.line(xt, ya - 5.0 * s, xt, yb + 5.0 * s, WHITE_, 6.0)?;
            c.line(xt, ya - 5.0 * s, xt, yb + 5.0 * s, ALERT, 3.0)?;
        }

        // The phase the block reached: a step after its last passed phase.
        let xr = l.x0 + f64::from(b.reached.min(n as u32)) * l.col_w;
        c.line(xr, top + 28.0 * s, xr, top + 60.0 * s, INK, 5.0)?;
        c.line(l.m, top + l.row_h, x1, top + l.row_h, GRID, 1.0)?;
    }

    // The organisation's phase: one line across every row.
    let p = data.organisation_phase.min(n as u32);
    let xp = l.x0 + f64::from(p) * l.col_w;
    c.dashed(
        &[(xp, l.rows_top - 6.0 * s), (xp, l.rows_bottom + 10.0 * s)],
        INK,
        2.5,
        8.0,
        5.0,
    )?;
    let label = if p == 0 {
        "Organisation not yet at phase 1".to_string()
    } else {
        format!("Organisation phase {p}")
    };
    let lf = Font::new(SMALL).bold();
    let w = c.width(&label, lf);
    let xc = xp.clamp(l.x0 + w / 2.0, x1 - w / 2.0);
    c.text(&label, xc, l.rows_bottom + 26.0 * s, lf, Align::Centre)?;

    c.legend(&legend_items(data), l.m, x1, l.legend_top, false)?;
    Ok(())
}
