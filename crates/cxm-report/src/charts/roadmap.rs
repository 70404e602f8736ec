//! The plan as a timeline: due quarters along the top, a swim-lane per building block
//! in its colour, each item a bar in the column it is due in, numbered as in the
//! report's table, with its owner; the fill shows its status and a flag marks it
//! overdue. A dashed line marks the report's date.

use super::data::{RoadmapData, RoadmapItem, RoadmapStatus};
use super::draw::*;
use super::theme::{ALERT, EMPTY, GRID, INK, MUTED, block_colour};
use super::{CHART_WIDTH, ChartError, svg_of};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The roadmap's canvas for `data`: [`CHART_WIDTH`] wide, as tall as its lanes need.
pub fn roadmap_size(data: &RoadmapData) -> (u32, u32) {
    let l = Layout::new(f64::from(CHART_WIDTH), data);
    (CHART_WIDTH, l.height.ceil() as u32)
}

/// The roadmap as a scalable SVG document.
pub fn roadmap_svg(data: &RoadmapData) -> String {
    svg_of(roadmap_size(data), |area| draw_roadmap(area, data))
}

/// Bars stacked in one lane's column at most; a column with more shows one row fewer
/// and "+N more" with their numbers.
pub const MAX_STACK: usize = 3;

const HEADER: f64 = 40.0;
const ROW: f64 = 90.0;
const BAR_H: f64 = 82.0;
/// Lines of an item's title at most (the number first).
const TITLE_LINES: usize = 3;
const LANE_PAD: f64 = 6.0;
const STRIP: f64 = 8.0;
const PAD: f64 = 7.0;

struct Layout {
    m: f64,
    label_x: f64,
    label_w: f64,
    x0: f64,
    col_w: f64,
    top: f64,
    /// Per lane: its top, its bar rows and its label's lines.
    lanes: Vec<(f64, usize, Vec<String>)>,
    bottom: f64,
    legend_y: f64,
    height: f64,
}

/// A lane's items per column, each column in stacking order (done, in progress,
/// planned, then by number).
fn cells(data: &RoadmapData, items: &[RoadmapItem]) -> Vec<Vec<RoadmapItem>> {
    let mut cells: Vec<Vec<RoadmapItem>> = vec![Vec::new(); data.columns.len()];
    for item in items {
        if let Some(cell) = cells.get_mut(item.column) {
            cell.push(item.clone());
        }
    }
    for cell in &mut cells {
        cell.sort_by_key(|i| (i.status, i.number));
    }
    cells
}

impl Layout {
    fn new(w: f64, data: &RoadmapData) -> Layout {
        let s = w / f64::from(CHART_WIDTH);
        let m = 16.0 * s;
        let name = |b: &str| text_width(b, LABEL * s, true);
        let label_w = data
            .lanes
            .iter()
            .map(|l| {
                // Room for the longest word, up to the whole name on one line.
                let word = l.block.split_whitespace().map(name).fold(0.0, f64::max);
                name(&l.block).min(150.0 * s).max(word)
            })
            .fold(100.0 * s, f64::max)
            .min(180.0 * s);
        let label_x = m + (STRIP + 10.0) * s;
        let x0 = label_x + label_w + 14.0 * s;
        let col_w = (w - m - x0) / data.columns.len().max(1) as f64;
        let top = m + HEADER * s;
        let line_h = LABEL * 1.3 * s;
        let mut y = top;
        let lanes = data
            .lanes
            .iter()
            .map(|lane| {
                let rows = cells(data, &lane.items)
                    .iter()
                    .map(|c| c.len().min(MAX_STACK))
                    .max()
                    .unwrap_or(0)
                    .max(1);
                let lines = wrap(&lane.block, LABEL * s, true, label_w, 3);
                let h =
                    (rows as f64 * ROW * s).max(lines.len() as f64 * line_h) + 2.0 * LANE_PAD * s;
                let lane = (y, rows, lines);
                y += h;
                lane
            })
            .collect();
        let bottom = y;
        let legend_y = bottom + 34.0 * s;
        let legend_h = legend_height(&legend_items(data), w - 2.0 * m, s);
        let height = legend_y - 15.0 * s + legend_h + m;
        Layout {
            m,
            label_x,
            label_w,
            x0,
            col_w,
            top,
            lanes,
            bottom,
            legend_y,
            height,
        }
    }
}

fn legend_items(data: &RoadmapData) -> Vec<LegendItem> {
    let mut items = vec![
        LegendItem::new(
            Swatch::Fill {
                fill: MUTED,
                outline: None,
            },
            "done",
        ),
        LegendItem::new(
            Swatch::Fill {
                fill: tint(MUTED, 0.3),
                outline: Some(MUTED),
            },
            "in progress",
        ),
        LegendItem::new(Swatch::DashedOutline(MUTED), "planned"),
    ];
    if data.lanes.iter().flat_map(|l| &l.items).any(|i| i.overdue) {
        items.push(LegendItem::new(
            Swatch::Flag(ALERT),
            format!("overdue on {}", data.today_label),
        ));
    }
    if data.today.is_some() {
        items.push(LegendItem::new(
            Swatch::Line {
                colour: INK,
                width: 1.5,
                dashed: true,
                marker: None,
            },
            format!("report date, {}", data.today_label),
        ));
    }
    items
}

/// "Maria Jensen" → "MJ": the first letter of each word, at most three.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(3)
        .collect()
}

/// Draws the roadmap on `area` (laid out for [`roadmap_size`], scaled to the area's
/// width).
pub fn draw_roadmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &RoadmapData,
) -> Result<(), ChartError> {
    let c = Canvas::new(area);
    c.clear()?;
    let l = Layout::new(c.w, data);
    let n = data.columns.len();
    let col_x = |i: usize| l.x0 + i as f64 * l.col_w;

    // The column without a date, set apart; the header; the column lines.
    if data.undated && n > 0 {
        c.fill_rect(col_x(n - 1), l.top, col_x(n), l.bottom, EMPTY)?;
    }
    let head = Font::new(SMALL).bold();
    for (i, label) in data.columns.iter().enumerate() {
        let undated = data.undated && i + 1 == n;
        let font = if undated { head.colour(MUTED) } else { head };
        c.text(
            &fit(label, c.u(head.px), true, l.col_w - c.u(8.0)),
            col_x(i) + l.col_w / 2.0,
            l.m + c.u(14.0),
            font,
            Align::Centre,
        )?;
    }
    for i in 0..=n {
        c.line(col_x(i), l.top - c.u(8.0), col_x(i), l.bottom, GRID, 1.0)?;
    }
    c.line(l.m, l.top, c.w - l.m, l.top, tint(MUTED, 0.7), 1.5)?;

    // The report's date, under the bars.
    if let Some(t) = data.today {
        let x = l.x0 + t * l.col_w;
        c.dashed(&[(x, l.top - c.u(8.0)), (x, l.bottom)], INK, 1.5, 6.0, 4.0)?;
    }

    let title_font = Font::new(TINY);
    let number_font = Font::new(TINY).bold();
    let owner_font = Font::new(TINY);
    let flag_font = Font::new(TINY).bold().colour(ALERT);
    let pad = c.u(PAD);
    for (lane, &(top, rows, ref lines)) in data.lanes.iter().zip(&l.lanes) {
        let colour = block_colour(lane.colour);
        let cells = cells(data, &lane.items);
        let line_h = c.line_h(Font::new(LABEL));
        let bottom =
            top + (rows as f64 * c.u(ROW)).max(lines.len() as f64 * line_h) + 2.0 * c.u(LANE_PAD);
        // The lane: its colour strip and name, and a rule under it.
        c.fill_rect(
            l.m,
            top + c.u(4.0),
            l.m + c.u(STRIP),
            bottom - c.u(4.0),
            colour,
        )?;
        let mut y = (top + bottom) / 2.0 - (lines.len() as f64 - 1.0) * line_h / 2.0;
        for line in lines {
            c.text(
                &fit(line, c.u(LABEL), true, l.label_w),
                l.label_x,
                y,
                Font::new(LABEL).bold(),
                Align::Left,
            )?;
            y += line_h;
        }
        c.line(l.m, bottom, c.w - l.m, bottom, GRID, 1.0)?;

        for (col, items) in cells.iter().enumerate() {
            let (xa, xb) = (col_x(col) + c.u(3.0), col_x(col + 1) - c.u(3.0));
            let shown = if items.len() > MAX_STACK {
                MAX_STACK - 1
            } else {
                items.len()
            };
            let row_top =
                |r: usize| top + c.u(LANE_PAD) + r as f64 * c.u(ROW) + c.u(ROW - BAR_H) / 2.0;
            for (r, item) in items.iter().take(shown).enumerate() {
                let (ya, yb) = (row_top(r), row_top(r) + c.u(BAR_H));
                let text = match item.status {
                    RoadmapStatus::Done => {
                        c.fill_rect(xa, ya, xb, yb, colour)?;
                        text_on(colour)
                    }
                    RoadmapStatus::InProgress => {
                        c.fill_rect(xa, ya, xb, yb, tint(colour, 0.3))?;
                        c.stroke_rect(xa, ya, xb, yb, colour, 2.0)?;
                        INK
                    }
                    RoadmapStatus::Planned => {
                        c.fill_rect(xa, ya, xb, yb, WHITE_)?;
                        c.dashed_rect(xa, ya, xb, yb, colour, 2.0)?;
                        INK
                    }
                };
                let room = xb - xa - 2.0 * pad;
                // The number (bold), then the title, over up to three lines, cut to fit.
                let number = item.number.to_string();
                let nf = number_font.colour(text);
                let tf = title_font.colour(text);
                let slack = c.width(&number, nf) - c.width(&number, tf);
                let lines = wrap(
                    &format!("{number} {}", item.title),
                    c.u(tf.px),
                    false,
                    room - slack,
                    TITLE_LINES,
                );
                for (j, line) in lines.iter().enumerate() {
                    let y = ya + c.u(13.0 + 19.0 * j as f64);
                    match line.strip_prefix(&number).filter(|_| j == 0) {
                        Some(rest) => {
                            c.runs(&[(&number, nf), (rest, tf)], xa + pad, y, Align::Left)?
                        }
                        None => c.text(line, xa + pad, y, tf, Align::Left)?,
                    }
                }
                // Second line: the owner, and the overdue flag on the right.
                let owner_y = ya + c.u(BAR_H - 14.0);
                let mut owner_room = room;
                if item.overdue {
                    let word = "overdue";
                    let flag_w = c.u(14.0);
                    let word_w = c.width(word, flag_font) + c.u(5.0);
                    let with_word = room - flag_w - word_w >= c.u(36.0);
                    let right = xb - pad;
                    if with_word {
                        c.text(word, right, owner_y, flag_font, Align::Right)?;
                        c.flag(
                            right - word_w - flag_w / 2.0 + c.u(2.0),
                            owner_y,
                            12.0,
                            ALERT,
                        )?;
                        owner_room -= flag_w + word_w + c.u(4.0);
                    } else {
                        c.flag(right - flag_w / 2.0, owner_y, 12.0, ALERT)?;
                        owner_room -= flag_w + c.u(4.0);
                    }
                }
                if let Some(owner) = item
                    .owner
                    .as_deref()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                {
                    let of = owner_font.colour(if item.status == RoadmapStatus::Done {
                        text
                    } else {
                        MUTED
                    });
                    let shown_owner = if c.width(owner, of) <= owner_room {
                        owner.to_string()
                    } else {
                        fit(&initials(owner), c.u(of.px), false, owner_room)
                    };
                    if owner_room > c.u(12.0) {
                        c.text(&shown_owner, xa + pad, owner_y, of, Align::Left)?;
                    }
                }
            }
            if items.len() > shown {
                let (ya, yb) = (row_top(shown), row_top(shown) + c.u(BAR_H));
                c.fill_rect(xa, ya, xb, yb, EMPTY)?;
                let rest: Vec<String> = items[shown..]
                    .iter()
                    .map(|i| i.number.to_string())
                    .collect();
                let f = Font::new(TINY);
                let room = xb - xa - 2.0 * pad;
                c.text(
                    &fit(
                        &format!("+{} more", items.len() - shown),
                        c.u(f.px),
                        true,
                        room,
                    ),
                    xa + pad,
                    ya + c.u(BAR_H / 2.0 - 10.0),
                    f.bold(),
                    Align::Left,
                )?;
                c.text(
                    &fit(&rest.join(", "), c.u(f.px), false, room),
                    xa + pad,
                    ya + c.u(BAR_H / 2.0 + 10.0),
                    f.colour(MUTED),
                    Align::Left,
                )?;
            }
        }
    }

    c.legend(&legend_items(data), l.m, c.w - l.m, l.legend_y, false)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_shorten_to_initials() {
        assert_eq!(initials("Maria Jensen"), "MJ");
        assert_eq!(initials(" ana  de la  cruz "), "ADL");
        assert_eq!(initials("Ops"), "O");
    }
}
