//! Alignment heatmap: block attainment per role group on a sequential blue scale,
//! hidden groups named but empty, and each block's gap with its flag.

use super::data::HeatmapData;
use super::draw::*;
use super::theme::{ALERT, EMPTY, INK, MUTED};
use super::{CHART_WIDTH, ChartError, svg_of};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The heatmap's canvas for `data`: [`CHART_WIDTH`] wide, as tall as its rows need.
pub fn heatmap_size(data: &HeatmapData) -> (u32, u32) {
    let l = Layout::new(f64::from(CHART_WIDTH), data);
    (CHART_WIDTH, l.height.ceil() as u32)
}

/// The heatmap as a scalable SVG document.
pub fn heatmap_svg(data: &HeatmapData) -> String {
    svg_of(heatmap_size(data), |area| draw_heatmap(area, data))
}

/// ColorBrewer "Blues" (colour-blind safe, prints in greyscale as a ramp), without its
/// near-white first step.
const BLUES: [RGBColor; 8] = [
    RGBColor(0xde, 0xeb, 0xf7),
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0x9e, 0xca, 0xe1),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0x42, 0x92, 0xc6),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x08, 0x51, 0x9c),
    RGBColor(0x08, 0x30, 0x6b),
];

/// The colour of attainment `a` (0..1) on the sequential scale.
pub(crate) fn scale(a: f64) -> RGBColor {
    let t = a.clamp(0.0, 1.0) * (BLUES.len() - 1) as f64;
    let i = (t.floor() as usize).min(BLUES.len() - 2);
    let f = t - i as f64;
    let (p, q) = (BLUES[i], BLUES[i + 1]);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    RGBColor(mix(p.0, q.0), mix(p.1, q.1), mix(p.2, q.2))
}

const ROW: f64 = 56.0;
const SCALE_W: f64 = 240.0;

struct Layout {
    m: f64,
    name_w: f64,
    x0: f64,
    col_w: f64,
    gap_x: f64,
    gap_w: f64,
    header: Vec<Vec<String>>,
    rows_top: f64,
    row_h: f64,
    legend_top: f64,
    height: f64,
}

impl Layout {
    fn new(w: f64, data: &HeatmapData) -> Layout {
        let s = w / f64::from(CHART_WIDTH);
        let m = 16.0 * s;
        let name_w = data
            .blocks
            .iter()
            .map(|b| text_width(b, LABEL * s, false))
            .fold(100.0 * s, f64::max)
            .min(300.0 * s);
        let x0 = m + name_w + 18.0 * s;
        let gap_w = 150.0 * s;
        let g = data.groups.len().max(1) as f64;
        let col_w = ((w - m - gap_w - 20.0 * s - x0) / g).min(220.0 * s);
        let gap_x = x0 + g * col_w + 20.0 * s;
        let header: Vec<Vec<String>> = data
            .groups
            .iter()
            .map(|gr| wrap(&gr.name, SMALL * s, true, col_w - 14.0 * s, 2))
            .collect();
        let lines = header.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let rows_top = m + lines * SMALL * 1.3 * s + TINY * 1.3 * s + 12.0 * s;
        let row_h = ROW * s;
        let rows_bottom = rows_top + data.blocks.len() as f64 * row_h;
        let legend_top = rows_bottom + 30.0 * s;
        let items_x = x0 + SCALE_W * s + 40.0 * s;
        let items_h = legend_height(&legend_items(data), w - m - items_x, s);
        let legend_h = items_h.max(52.0 * s);
        let height = legend_top + legend_h + m - 10.0 * s;
        Layout {
            m,
            name_w,
            x0,
            col_w,
            gap_x,
            gap_w,
            header,
            rows_top,
            row_h,
            legend_top,
            height,
        }
    }
}

fn legend_items(data: &HeatmapData) -> Vec<LegendItem> {
    vec![
        LegendItem::new(Swatch::Hatch, "group hidden: too few respondents to show"),
        LegendItem::new(
            Swatch::Flag(ALERT),
            format!(
                "gap between groups of {} or more",
                figure(data.gap_threshold)
            ),
        ),
    ]
}

/// Draws the heatmap on `area` (laid out for [`heatmap_size`], scaled to the area's width).
pub fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &HeatmapData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let l = Layout::new(c.w, data);
    let inset = c.u(2.0);

    // Header: group names with their respondent counts; the gap column.
    let head = Font::new(SMALL).bold();
    let count = Font::new(TINY).colour(MUTED);
    for (j, g) in data.groups.iter().enumerate() {
        let xc = l.x0 + (j as f64 + 0.5) * l.col_w;
        let mut y = l.m + c.line_h(head) / 2.0;
        let font = if g.hidden { head.colour(MUTED) } else { head };
        // Bottom-align the header so short names sit right above their column.
        let missing = l.header.iter().map(Vec::len).max().unwrap_or(1) - l.header[j].len();
        y += missing as f64 * c.line_h(head);
        for line in &l.header[j] {
            c.text(line, xc, y, font, Align::Centre)?;
            y += c.line_h(head);
        }
        let n = if g.hidden {
            format!("n = {}, hidden", g.respondents)
        } else {
            format!("n = {}", g.respondents)
        };
        c.text(
            &n,
            xc,
            y - c.line_h(head) / 2.0 + c.line_h(count) / 2.0,
            count,
            Align::Centre,
        )?;
    }
    let gap_c = l.gap_x + l.gap_w / 2.0;
    let count_y = l.rows_top - c.u(12.0) - c.line_h(count) / 2.0;
    c.text(
        "Gap",
        gap_c,
        count_y - c.line_h(head) / 2.0 - c.line_h(count) / 2.0,
        head,
        Align::Centre,
    )?;
    c.text("highest – lowest", gap_c, count_y, count, Align::Centre)?;

    let name_font = Font::new(LABEL);
    for (r, block) in data.blocks.iter().enumerate() {
        let top = l.rows_top + r as f64 * l.row_h;
        let yc = top + l.row_h / 2.0;
        c.text(
            &fit(block, c.u(LABEL), false, l.name_w),
            l.m,
            yc,
            name_font,
            Align::Left,
        )?;
        for (j, g) in data.groups.iter().enumerate() {
            let xa = l.x0 + j as f64 * l.col_w + inset;
            let xb = l.x0 + (j + 1) as f64 * l.col_w - inset;
            let (ya, yb) = (top + inset, top + l.row_h - inset);
            let cell = data
                .cells
                .get(r)
                .and_then(|row| row.get(j))
                .copied()
                .flatten();
            match (g.hidden, cell) {
                (true, _) => c.hatch(xa, ya, xb, yb)?,
                (false, Some(a)) => {
                    let bg = scale(a);
                    c.fill_rect(xa, ya, xb, yb, bg)?;
                    c.text(
                        &figure(a),
                        (xa + xb) / 2.0,
                        yc,
                        Font::new(LABEL).colour(text_on(bg)),
                        Align::Centre,
                    )?;
                }
                (false, None) => {
                    c.fill_rect(xa, ya, xb, yb, EMPTY)?;
                    c.text(
                        "not assessed",
                        (xa + xb) / 2.0,
                        yc,
                        Font::new(TINY).colour(MUTED),
                        Align::Centre,
                    )?;
                }
            }
        }
        // The gap.
        if let Some(&(gap, flagged)) = data.gaps.get(r) {
            let (xa, xb) = (l.gap_x + inset, l.gap_x + l.gap_w - inset);
            let text = figure(gap);
            if flagged {
                c.fill_rect(xa, top + inset, xb, top + l.row_h - inset, tint(ALERT, 0.1))?;
                c.stroke_rect(
                    xa + c.u(1.5),
                    top + inset + c.u(1.5),
                    xb - c.u(1.5),
                    top + l.row_h - inset - c.u(1.5),
                    ALERT,
                    3.0,
                )?;
                let f = Font::new(LABEL).bold().colour(ALERT);
                let tw = c.width(&text, f);
                let flag = c.u(16.0);
                let x = gap_c - (tw + flag + c.u(8.0)) / 2.0;
                c.flag(x + flag / 2.0, yc, 15.0, ALERT)?;
                c.text(&text, x + flag + c.u(8.0), yc, f, Align::Left)?;
            } else {
                c.text(&text, gap_c, yc, Font::new(LABEL), Align::Centre)?;
            }
        }
    }

    // Legend: the colour scale, then the hatch and the flag.
    let sx = l.x0;
    let sw = c.u(SCALE_W);
    let y = l.legend_top;
    let hh = c.u(8.0);
    c.text(
        "Block attainment",
        sx - c.u(12.0),
        y,
        Font::new(SMALL),
        Align::Right,
    )?;
    let steps = 48;
    for i in 0..steps {
        let a = sx + sw * f64::from(i) / f64::from(steps);
        let b = sx + sw * f64::from(i + 1) / f64::from(steps);
        c.fill_rect(
            a,
            y - hh,
            b + 0.6,
            y + hh,
            scale((f64::from(i) + 0.5) / f64::from(steps)),
        )?;
    }
    let tick = Font::new(TINY).colour(INK);
    for v in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = sx + sw * v;
        c.line(x, y + hh, x, y + hh + c.u(5.0), MUTED, 1.0)?;
        let label = if v == 0.0 {
            "0".to_string()
        } else if v == 1.0 {
            "1".to_string()
        } else {
            figure(v)
        };
        c.text(&label, x, y + hh + c.u(16.0), tick, Align::Centre)?;
    }
    let items_x = sx + sw + c.u(40.0);
    c.legend(&legend_items(data), items_x, c.w - l.m, y, false)?;
    Ok(())
}
