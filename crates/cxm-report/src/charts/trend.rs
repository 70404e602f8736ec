//! Trend of block maturity M_b over the organisation's rounds, with the organisation's
//! phase as a step line.

use super::data::TrendData;
use super::draw::*;
use super::theme::{GRID, INK, MUTED, block_colour};
use super::{ChartError, svg_of};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The trend's logical canvas.
pub const TREND_SIZE: (u32, u32) = (1000, 540);

/// The trend's canvas for `data` (always [`TREND_SIZE`]).
pub fn trend_size(_data: &TrendData) -> (u32, u32) {
    TREND_SIZE
}

/// The trend as a scalable SVG document.
pub fn trend_svg(data: &TrendData) -> String {
    svg_of(trend_size(data), |area| draw_trend(area, data))
}

/// Draws the trend on `area` (laid out for [`TREND_SIZE`], scaled to the area's width).
pub fn draw_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TrendData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let m = c.u(16.0);
    let max = if data.max > 0.0 { data.max } else { 1.0 };
    let k = data.rounds.len().max(1);
    let steps = max.floor() as usize;

    // Legend (right): one entry per block with its latest value, then the organisation.
    let label_font = Font::new(SMALL);
    let value_font = Font::new(SMALL).bold();
    let latest = |vals: &[Option<f64>]| vals.iter().rev().flatten().next().copied();
    let entries: Vec<(String, Option<String>, Swatch)> = data
        .blocks
        .iter()
        .map(|(name, colour, vals)| {
            (
                name.clone(),
                latest(vals).map(figure),
                Swatch::Line {
                    colour: block_colour(*colour),
                    width: 3.0,
                    dashed: false,
                    marker: Some((Marker::for_block(*colour), false)),
                },
            )
        })
        .chain(std::iter::once((
            "Organisation's phase".to_string(),
            data.organisation_phase.last().map(|p| p.to_string()),
            Swatch::Line {
                colour: INK,
                width: 2.5,
                dashed: true,
                marker: None,
            },
        )))
        .collect();
    let swatch_room = c.u(SWATCH_W + 10.0);
    let entry_w = |(name, value, _): &(String, Option<String>, Swatch)| {
        c.width(name, label_font)
            + value
                .as_ref()
                .map_or(0.0, |v| c.u(12.0) + c.width(v, value_font))
    };
    let legend_w = (swatch_room + entries.iter().map(entry_w).fold(0.0, f64::max)).min(c.u(300.0));

    // Y axis: gridlines at the phases, labelled with their names.
    let tick_font = Font::new(SMALL).colour(INK);
    let y_label = |i: usize| -> String {
        if i == 0 {
            "0".to_string()
        } else {
            data.phases
                .get(i - 1)
                .cloned()
                .unwrap_or_else(|| i.to_string())
        }
    };
    let y_label_w = (0..=steps)
        .map(|i| c.width(&y_label(i), tick_font))
        .fold(0.0, f64::max)
        .min(c.u(200.0));

    // X axis labels: one line if they fit, else two, else every n-th.
    let left = m + y_label_w + c.u(14.0);
    let right = c.w - m - legend_w - c.u(40.0);
    let slot = (right - left) / k as f64;
    let x_font = Font::new(SMALL);
    let one_line = data
        .rounds
        .iter()
        .map(|r| c.width(r, x_font))
        .fold(0.0, f64::max);
    let two_lines: Vec<Vec<String>> = data
        .rounds
        .iter()
        .map(|r| {
            wrap(
                r,
                c.u(x_font.px),
                false,
                (slot - c.u(8.0)).max(c.u(40.0)),
                2,
            )
        })
        .collect();
    let (x_labels, every): (Vec<Vec<String>>, usize) = if one_line <= slot - c.u(10.0) {
        (data.rounds.iter().map(|r| vec![r.clone()]).collect(), 1)
    } else {
        let widest = two_lines
            .iter()
            .flatten()
            .map(|l| c.width(l, x_font))
            .fold(0.0, f64::max);
        let every = ((widest + c.u(6.0)) / slot).ceil().max(1.0) as usize;
        (two_lines, every)
    };
    let x_lines = x_labels.iter().map(Vec::len).max().unwrap_or(1) as f64;

    let top = m + c.u(36.0);
    let bottom = c.h - m - x_lines * c.line_h(x_font) - c.u(12.0);
    let y_of = |v: f64| bottom - (v.clamp(0.0, max) / max) * (bottom - top);
    let x_of = |i: usize| left + (i as f64 + 0.5) * slot;

    // Axis title.
    c.text(
        "Block maturity (phase reached + progress into the next)",
        m,
        m + c.u(10.0),
        Font::new(TINY).colour(MUTED),
        Align::Left,
    )?;

    for i in 0..=steps {
        let y = y_of(i as f64);
        let colour = if i == 0 { tint(MUTED, 0.7) } else { GRID };
        c.line(left, y, right, y, colour, if i == 0 { 1.5 } else { 1.0 })?;
        c.text(
            &fit(&y_label(i), c.u(tick_font.px), false, y_label_w),
            left - c.u(12.0),
            y,
            tick_font,
            Align::Right,
        )?;
    }
    for i in 0..k {
        let x = x_of(i);
        c.line(x, top, x, bottom, GRID, 1.0)?;
        c.line(x, bottom, x, bottom + c.u(6.0), tint(MUTED, 0.7), 1.5)?;
        // Counted from the latest round, which always keeps its label.
        let shown = (k - 1 - i).is_multiple_of(every);
        if shown && let Some(lines) = x_labels.get(i) {
            for (j, line) in lines.iter().enumerate() {
                let y = bottom + c.u(12.0) + (j as f64 + 0.5) * c.line_h(x_font);
                c.text(line, x, y, x_font, Align::Centre)?;
            }
        }
    }

    // The organisation's phase: a step per round, under the block lines.
    let mut step: Vec<(f64, f64)> = Vec::new();
    for (i, &p) in data.organisation_phase.iter().enumerate().take(k) {
        let y = y_of(f64::from(p));
        let (xa, xb) = (
            left + i as f64 * slot + if i == 0 { c.u(4.0) } else { 0.0 },
            left + (i + 1) as f64 * slot - if i + 1 == k { c.u(4.0) } else { 0.0 },
        );
        step.push((xa, y));
        step.push((xb, y));
    }
    if !step.is_empty() {
        c.dashed(&step, INK, 2.5, 9.0, 5.0)?;
    }

    // Blocks are dodged a little sideways so that close values keep distinct markers.
    let nb = data.blocks.len();
    let dodge_step = c.u(6.0).min(slot / 24.0);
    let dodge = |b: usize| dodge_step * (b as f64 - (nb as f64 - 1.0) / 2.0);
    for (b, (_, colour, vals)) in data.blocks.iter().enumerate() {
        let col = block_colour(*colour);
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in vals.iter().enumerate().take(k) {
            match v {
                Some(v) => run.push((x_of(i) + dodge(b), y_of(*v))),
                None => {
                    if run.len() > 1 {
                        c.path(&run, col, 3.0)?;
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            c.path(&run, col, 3.0)?;
        }
    }
    for (b, (_, colour, vals)) in data.blocks.iter().enumerate() {
        for (i, v) in vals.iter().enumerate().take(k) {
            if let Some(v) = v {
                c.marker(
                    Marker::for_block(*colour),
                    x_of(i) + dodge(b),
                    y_of(*v),
                    5.0,
                    block_colour(*colour),
                    false,
                )?;
            }
        }
    }

    // Legend.
    let lx = c.w - m - legend_w;
    let mut y = top + c.u(4.0);
    let title = Font::new(TINY).colour(MUTED);
    let latest_round = data
        .rounds
        .last()
        .map(|r| format!("Latest ({r})"))
        .unwrap_or_default();
    c.text(
        &fit(&latest_round, c.u(TINY), false, legend_w),
        c.w - m,
        y,
        title,
        Align::Right,
    )?;
    y += c.u(30.0);
    for (name, value, swatch) in &entries {
        c.swatch(swatch, lx, y)?;
        let value_w = value.as_ref().map_or(0.0, |v| c.width(v, value_font));
        let room = legend_w - swatch_room - value_w - c.u(12.0);
        c.text(
            &fit(name, c.u(label_font.px), false, room),
            lx + swatch_room,
            y,
            label_font,
            Align::Left,
        )?;
        if let Some(v) = value {
            c.text(v, c.w - m, y, value_font, Align::Right)?;
        }
        y += c.u(34.0);
    }
    Ok(())
}
