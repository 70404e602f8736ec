//! One block's question attainment: horizontal bars grouped by phase, with the
//! threshold line.

use super::data::QuestionBarsData;
use super::draw::*;
use super::theme::{ALERT, GRID, INK, MUTED, block_colour};
use super::{CHART_WIDTH, ChartError, svg_of};
use cxm_domain::scoring::at_least;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The bars' canvas for `data`: [`CHART_WIDTH`] wide, as tall as its questions need.
pub fn question_bars_size(data: &QuestionBarsData) -> (u32, u32) {
    let l = Layout::new(f64::from(CHART_WIDTH), data);
    (CHART_WIDTH, l.height.ceil() as u32)
}

/// The bars as a scalable SVG document.
pub fn question_bars_svg(data: &QuestionBarsData) -> String {
    svg_of(question_bars_size(data), |area| {
        draw_question_bars(area, data)
    })
}

const HEADER: f64 = 34.0;
const BAR_ROW: f64 = 26.0;
const BAR: f64 = 16.0;

struct Layout {
    m: f64,
    x0: f64,
    x1: f64,
    top: f64,
    axis_y: f64,
    legend_y: f64,
    height: f64,
}

impl Layout {
    fn new(w: f64, data: &QuestionBarsData) -> Layout {
        let s = w / f64::from(CHART_WIDTH);
        let m = 16.0 * s;
        let id_w = data
            .phases
            .iter()
            .flat_map(|(_, qs)| qs.iter().map(|(id, _)| text_width(id, SMALL * s, false)))
            .fold(50.0 * s, f64::max)
            .min(220.0 * s);
        let x0 = m + id_w + 16.0 * s;
        let x1 = w - m - 60.0 * s;
        let top = m + 30.0 * s;
        let rows: f64 = data
            .phases
            .iter()
            .map(|(_, qs)| HEADER + qs.len() as f64 * BAR_ROW)
            .sum();
        let axis_y = top + rows * s + 6.0 * s;
        let legend_y = axis_y + 80.0 * s;
        let legend_h = legend_height(&legend_items(data), w - 2.0 * m, s);
        let height = legend_y - 15.0 * s + legend_h + m;
        Layout {
            m,
            x0,
            x1,
            top,
            axis_y,
            legend_y,
            height,
        }
    }
}

fn legend_items(data: &QuestionBarsData) -> Vec<LegendItem> {
    let colour = block_colour(data.colour);
    let mut items = vec![
        LegendItem::new(
            Swatch::Fill {
                fill: colour,
                outline: None,
            },
            "at or above the threshold",
        ),
        LegendItem::new(
            Swatch::Fill {
                fill: tint(colour, 0.4),
                outline: None,
            },
            "below the threshold",
        ),
        LegendItem::new(
            Swatch::Line {
                colour: ALERT,
                width: 2.5,
                dashed: false,
                marker: None,
            },
            format!("threshold {}", figure(data.threshold)),
        ),
    ];
    if data
        .phases
        .iter()
        .any(|(_, qs)| qs.iter().any(|(_, a)| a.is_none()))
    {
        items.push(LegendItem::new(
            Swatch::Fill {
                fill: WHITE_,
                outline: Some(tint(MUTED, 0.55)),
            },
            "not assessed",
        ));
    }
    items
}

/// Draws the bars on `area` (laid out for [`question_bars_size`], scaled to the area's width).
pub fn draw_question_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &QuestionBarsData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let l = Layout::new(c.w, data);
    let colour = block_colour(data.colour);
    let x_of = |a: f64| l.x0 + (l.x1 - l.x0) * a.clamp(0.0, 1.0);
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0];
    let xt = x_of(data.threshold);

    // Threshold label above the first group.
    let tf = Font::new(SMALL).bold().colour(ALERT);
    let label = format!("threshold {}", figure(data.threshold));
    let w = c.width(&label, tf);
    c.text(
        &label,
        xt.clamp(l.x0 + w / 2.0, c.w - l.m - w / 2.0),
        l.m + c.u(10.0),
        tf,
        Align::Centre,
    )?;

    let mut y = l.top;
    let head = Font::new(SMALL).bold().colour(MUTED);
    let id_font = Font::new(SMALL);
    let value_font = Font::new(SMALL);
    for (phase, questions) in &data.phases {
        // Group header, then the group's gridlines and threshold segment.
        c.text(
            phase,
            l.m,
            y + c.u(HEADER) / 2.0 + c.u(3.0),
            head,
            Align::Left,
        )?;
        let header_w = c.width(phase, head);
        c.line(
            l.m + header_w + c.u(12.0),
            y + c.u(HEADER) / 2.0 + c.u(3.0),
            c.w - l.m,
            y + c.u(HEADER) / 2.0 + c.u(3.0),
            GRID,
            1.0,
        )?;
        y += c.u(HEADER);
        let (ga, gb) = (y, y + questions.len() as f64 * c.u(BAR_ROW));
        for &t in &ticks {
            let x = x_of(t);
            c.line(
                x,
                ga,
                x,
                gb,
                if t == 0.0 { tint(MUTED, 0.7) } else { GRID },
                1.0,
            )?;
        }

        // Bars, then the threshold over them, then the values on a white ground.
        for (q, (_, a)) in questions.iter().enumerate() {
            let yc = y + (q as f64 + 0.5) * c.u(BAR_ROW);
            let (ya, yb) = (yc - c.u(BAR) / 2.0, yc + c.u(BAR) / 2.0);
            match a {
                Some(a) => {
                    let fill = if at_least(*a, data.threshold) {
                        colour
                    } else {
                        tint(colour, 0.4)
                    };
                    let end = x_of(*a);
                    if end > l.x0 {
                        c.fill_rect(l.x0, ya, end, yb, fill)?;
                    }
                }
                None => {
                    c.fill_rect(l.x0, ya, l.x1, yb, WHITE_)?;
                    c.stroke_rect(l.x0, ya, l.x1, yb, tint(MUTED, 0.55), 1.0)?;
                }
            }
        }
        c.line(xt, ga - c.u(2.0), xt, gb + c.u(2.0), WHITE_, 6.0)?;
        c.line(xt, ga - c.u(2.0), xt, gb + c.u(2.0), ALERT, 2.5)?;
        for (id, a) in questions {
            let yc = y + c.u(BAR_ROW) / 2.0;
            let (ya, yb) = (yc - c.u(BAR) / 2.0, yc + c.u(BAR) / 2.0);
            c.text(id, l.x0 - c.u(12.0), yc, id_font, Align::Right)?;
            match a {
                Some(a) => {
                    let text = figure(*a);
                    let tw = c.width(&text, value_font);
                    let tx = x_of(*a) + c.u(7.0);
                    c.fill_rect(
                        tx - c.u(3.0),
                        yc - c.u(9.0),
                        tx + tw + c.u(3.0),
                        yc + c.u(9.0),
                        WHITE_,
                    )?;
                    c.text(&text, tx, yc, value_font, Align::Left)?;
                }
                None => {
                    let nf = Font::new(TINY).colour(MUTED);
                    let tw = c.width("not assessed", nf);
                    c.fill_rect(
                        l.x0 + c.u(6.0),
                        ya + c.u(1.0),
                        l.x0 + c.u(14.0) + tw,
                        yb - c.u(1.0),
                        WHITE_,
                    )?;
                    c.text("not assessed", l.x0 + c.u(10.0), yc, nf, Align::Left)?;
                }
            }
            y += c.u(BAR_ROW);
        }
    }

    // X axis.
    let axis_y = l.axis_y;
    c.line(l.x0, axis_y, l.x1, axis_y, tint(MUTED, 0.7), 1.5)?;
    let tick_font = Font::new(TINY).colour(INK);
    for &t in &ticks {
        let x = x_of(t);
        c.line(x, axis_y, x, axis_y + c.u(5.0), tint(MUTED, 0.7), 1.5)?;
        let label = if t == 0.0 {
            "0".to_string()
        } else if t == 1.0 {
            "1".to_string()
        } else {
            figure(t)
        };
        c.text(&label, x, axis_y + c.u(17.0), tick_font, Align::Centre)?;
    }
    c.text(
        "question attainment (share of the highest possible score)",
        (l.x0 + l.x1) / 2.0,
        axis_y + c.u(40.0),
        Font::new(TINY).colour(MUTED),
        Align::Centre,
    )?;
    c.legend(&legend_items(data), l.m, c.w - l.m, l.legend_y, false)?;
    Ok(())
}
