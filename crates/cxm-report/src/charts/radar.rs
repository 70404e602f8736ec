//! Radar of block maturity M_b: rings at the phases, one axis per block, this round
//! filled, the comparison round dashed, the target phase as a ring.

use super::data::{RadarData, RadarSeries, SeriesKind};
use super::draw::*;
use super::theme::{ALERT, MUTED};
use super::{ChartError, svg_of};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::f64::consts::PI;

/// The radar's logical canvas.
pub const RADAR_SIZE: (u32, u32) = (1000, 720);

/// This round's colour (a neutral navy: the axes, not the series, are the blocks).
const CURRENT: RGBColor = RGBColor(20, 76, 138);
/// The comparison round.
const PREVIOUS: RGBColor = MUTED;
/// The target ring.
const TARGET: RGBColor = ALERT;
/// Inner rings: darker than the theme's GRID so they survive print and the fill.
const RING: RGBColor = RGBColor(203, 208, 214);

/// The radar's canvas for `data` (always [`RADAR_SIZE`]).
pub fn radar_size(_data: &RadarData) -> (u32, u32) {
    RADAR_SIZE
}

/// The radar as a scalable SVG document.
pub fn radar_svg(data: &RadarData) -> String {
    svg_of(radar_size(data), |area| draw_radar(area, data))
}

/// One axis label: lines of (runs), its size.
struct AxisLabel {
    lines: Vec<Vec<(String, Font)>>,
    w: f64,
    h: f64,
}

/// Draws the radar on `area` (laid out for [`RADAR_SIZE`], scaled to the area's width).
pub fn draw_radar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &RadarData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let n = data.axes.len();
    let max = if data.max > 0.0 { data.max } else { 1.0 };
    let find = |k: SeriesKind| data.series.iter().find(|s| s.kind == k);
    let current = find(SeriesKind::Current);
    let previous = find(SeriesKind::Previous);
    let target = find(SeriesKind::Target);

    let m = c.u(16.0);

    // Legend: this round, the comparison, the target; then the rings' key.
    let mut items = Vec::new();
    if let Some(s) = current {
        items.push(LegendItem::new(
            Swatch::Fill {
                fill: tint(CURRENT, 0.18),
                outline: Some(CURRENT),
            },
            s.label.clone(),
        ));
    }
    if let Some(s) = previous {
        items.push(LegendItem::new(
            Swatch::Line {
                colour: PREVIOUS,
                width: 2.5,
                dashed: true,
                marker: Some((Marker::Circle, true)),
            },
            s.label.clone(),
        ));
    }
    if let Some(s) = target {
        items.push(LegendItem::new(
            Swatch::Line {
                colour: TARGET,
                width: 3.0,
                dashed: false,
                marker: None,
            },
            s.label.clone(),
        ));
    }
    let key_font = Font::new(TINY).colour(MUTED);
    let key = if data.phases.is_empty() {
        Vec::new()
    } else {
        let text = format!("Rings: phases {}", data.phases.join("  ·  "));
        wrap(&text, c.u(key_font.px), false, c.w - 2.0 * m, 2)
    };
    let legend_h = c.legend_height(&items, c.w - 2.0 * m);
    let key_h = key.len() as f64 * c.line_h(key_font);
    let bottom_block = legend_h + key_h + if key.is_empty() { 0.0 } else { c.u(6.0) };

    // Axis labels: the block name (wrapped to two lines at most), then this round's
    // value and the comparison's.
    let name_font = Font::new(LABEL).bold();
    let value_font = Font::new(SMALL).bold().colour(CURRENT);
    let was_font = Font::new(SMALL).colour(MUTED);
    let labels: Vec<AxisLabel> = (0..n)
        .map(|i| {
            let mut lines: Vec<Vec<(String, Font)>> =
                wrap(&data.axes[i], c.u(LABEL), true, c.u(260.0), 2)
                    .into_iter()
                    .map(|l| vec![(l, name_font)])
                    .collect();
            let mut value_line = Vec::new();
            if let Some(v) = value(current, i) {
                value_line.push((figure(v), value_font));
            }
            if let Some(v) = value(previous, i) {
                let sep = if value_line.is_empty() {
                    "was "
                } else {
                    ", was "
                };
                value_line.push((format!("{sep}{}", figure(v)), was_font));
            }
            if !value_line.is_empty() {
                lines.push(value_line);
            }
            let w = lines
                .iter()
                .map(|l| l.iter().map(|(t, f)| c.width(t, *f)).sum::<f64>())
                .fold(0.0, f64::max);
            let h = lines.iter().map(|l| c.line_h(l[0].1)).sum();
            AxisLabel { lines, w, h }
        })
        .collect();

    // The largest radius that keeps every label inside the plot region.
    let (left, right, top, bottom) = (m, c.w - m, m, c.h - m - bottom_block - c.u(12.0));
    let (cx, cy) = (c.w / 2.0, (top + bottom) / 2.0);
    let gap = c.u(14.0);
    let mut radius = c.u(300.0).min((bottom - top) / 2.0 - gap);
    for (i, l) in labels.iter().enumerate() {
        let (dx, dy) = direction(i, n);
        let (h_off, v_off) = anchor_offsets(dx, dy, l.w, l.h);
        // Extent of the box relative to its anchor point: [ax + h_off.0, ax + h_off.1].
        if dx > 1e-6 {
            radius = radius.min((right - cx - h_off.1) / dx - gap);
        }
        if dx < -1e-6 {
            radius = radius.min((left - cx - h_off.0) / dx - gap);
        }
        if dy > 1e-6 {
            radius = radius.min((bottom - cy - v_off.1) / dy - gap);
        }
        if dy < -1e-6 {
            radius = radius.min((top - cy - v_off.0) / dy - gap);
        }
    }
    let radius = radius.max(c.u(60.0));
    let at = |i: usize, v: f64| -> (f64, f64) {
        let (dx, dy) = direction(i, n);
        let r = radius * (v.clamp(0.0, max) / max);
        (cx + r * dx, cy + r * dy)
    };
    let polygon_of = |s: &RadarSeries| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| at(i, s.values.get(i).copied().unwrap_or(0.0)))
            .collect()
    };

    // This round's area first, so the grid shows through it as through a translucent fill.
    if let Some(s) = current {
        c.polygon(&polygon_of(s), tint(CURRENT, 0.18))?;
    }
    let rings = max.floor() as u32;
    for k in 1..=rings {
        let r = radius * f64::from(k) / max;
        let colour = if k == rings { tint(MUTED, 0.6) } else { RING };
        c.circle(cx, cy, r, colour, false, if k == rings { 1.5 } else { 1.0 })?;
    }
    for i in 0..n {
        let (x, y) = at(i, max);
        c.line(cx, cy, x, y, tint(MUTED, 0.55), 1.0)?;
    }

    if let Some(s) = target {
        let first = s.values.first().copied().unwrap_or(0.0);
        if s.values.iter().all(|v| (v - first).abs() < 1e-9) {
            c.circle(
                cx,
                cy,
                radius * first.clamp(0.0, max) / max,
                TARGET,
                false,
                3.0,
            )?;
        } else {
            c.path(&closed(&polygon_of(s)), TARGET, 3.0)?;
        }
    }
    if let Some(s) = previous {
        c.dashed(&closed(&polygon_of(s)), PREVIOUS, 2.5, 9.0, 6.0)?;
    }
    if let Some(s) = current {
        c.path(&closed(&polygon_of(s)), CURRENT, 3.5)?;
    }
    if let Some(s) = previous {
        for (x, y) in polygon_of(s) {
            c.marker(Marker::Circle, x, y, 5.0, PREVIOUS, true)?;
        }
    }
    if let Some(s) = current {
        for (x, y) in polygon_of(s) {
            c.marker(Marker::Circle, x, y, 6.0, CURRENT, false)?;
        }
    }

    // Ring numbers, just left of the first (top) axis, on the ground they sit on (the
    // fill inside this round's area, white outside) so the ring line does not cross them.
    let ring_font = Font::new(TINY).bold().colour(MUTED);
    let inside_current = current.map(polygon_of);
    for k in 1..=rings {
        let y = cy - radius * f64::from(k) / max;
        let label = k.to_string();
        let w = c.width(&label, ring_font);
        let x = cx - c.u(7.0);
        let half = c.u(9.0);
        let ground = match &inside_current {
            Some(poly) if inside(poly, (x - w / 2.0, y)) => tint(CURRENT, 0.18),
            _ => WHITE_,
        };
        c.fill_rect(x - w - c.u(3.0), y - half, x + c.u(3.0), y + half, ground)?;
        c.text(&label, x, y, ring_font, Align::Right)?;
    }

    // Axis labels, anchored by angle.
    for (i, l) in labels.iter().enumerate() {
        let (dx, dy) = direction(i, n);
        let (ax, ay) = (cx + (radius + gap) * dx, cy + (radius + gap) * dy);
        let (h_off, v_off) = anchor_offsets(dx, dy, l.w, l.h);
        let (align, x) = if h_off.0 >= 0.0 {
            (Align::Left, ax)
        } else if h_off.1 <= 0.0 {
            (Align::Right, ax)
        } else {
            (Align::Centre, ax)
        };
        let mut y = ay + v_off.0;
        for line in &l.lines {
            let lh = c.line_h(line[0].1);
            let runs: Vec<(&str, Font)> = line.iter().map(|(t, f)| (t.as_str(), *f)).collect();
            c.runs(&runs, x, y + lh / 2.0, align)?;
            y += lh;
        }
    }

    // Legend, then the rings' key.
    let mut y = c.h - m - bottom_block + c.u(15.0);
    y += c.legend(&items, m, c.w - m, y, true)?;
    for line in &key {
        c.text(
            line,
            c.w / 2.0,
            y + c.line_h(key_font) / 2.0 - c.u(4.0),
            key_font,
            Align::Centre,
        )?;
        y += c.line_h(key_font);
    }
    Ok(())
}

fn value(s: Option<&RadarSeries>, i: usize) -> Option<f64> {
    s.and_then(|s| s.values.get(i).copied())
}

/// Unit vector of axis `i` of `n`: the first points up, then clockwise.
fn direction(i: usize, n: usize) -> (f64, f64) {
    let a = 2.0 * PI * i as f64 / n.max(1) as f64;
    (a.sin(), -a.cos())
}

/// A label box's extent relative to its anchor point, horizontally and vertically,
/// for an axis pointing along (dx, dy): labels sit outside the ring, on the side the
/// axis points to.
fn anchor_offsets(dx: f64, dy: f64, w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
    let hx = if dx > 0.3 {
        (0.0, w)
    } else if dx < -0.3 {
        (-w, 0.0)
    } else {
        (-w / 2.0, w / 2.0)
    };
    let vy = if dy < -0.3 {
        (-h, 0.0)
    } else if dy > 0.3 {
        (0.0, h)
    } else {
        (-h / 2.0, h / 2.0)
    };
    (hx, vy)
}

/// A closed outline starting halfway along the first edge, so every corner is a join.
fn closed(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() < 2 {
        return points.to_vec();
    }
    let mid = (
        (points[0].0 + points[1].0) / 2.0,
        (points[0].1 + points[1].1) / 2.0,
    );
    let mut out = vec![mid];
    out.extend_from_slice(&points[1..]);
    out.push(points[0]);
    out.push(mid);
    out
}

/// Whether `p` lies inside the polygon (even-odd rule).
fn inside(poly: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut result = false;
    let mut j = poly.len().wrapping_sub(1);
    for i in 0..poly.len() {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            result = !result;
        }
        j = i;
    }
    result
}
