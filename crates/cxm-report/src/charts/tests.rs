//! Snapshot tests of every chart's SVG for fixed example data, plus checks that hold
//! whatever the layout.

use super::examples::*;
use super::*;

/// Writes the SVGs to `$CXM_CHART_DIR` when set, for looking at them.
fn keep(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("CXM_CHART_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.svg")), svg).unwrap();
    }
}

fn check(name: &str, svg: &str) {
    keep(name, svg);
    assert!(
        svg.starts_with("<svg width=\"100%\" viewBox=\"0 0 "),
        "{name}: scalable root"
    );
    assert!(svg.contains("<text"), "{name}: real text");
    assert!(
        !svg.contains("font-family=\"Noto Sans\""),
        "{name}: font fallback"
    );
    assert!(
        !svg.contains("opacity=\"0."),
        "{name}: no transparency (the PDF has none)"
    );
}

macro_rules! chart_test {
    ($test:ident, $svg:ident, $data:expr) => {
        #[test]
        fn $test() {
            let svg = $svg(&$data);
            check(stringify!($test), &svg);
            insta::assert_snapshot!(stringify!($test), svg);
        }
    };
}

chart_test!(radar, radar_svg, example_radar());
chart_test!(radar_single, radar_svg, example_radar_single());
chart_test!(radar_six_blocks, radar_svg, example_radar_six_blocks());
chart_test!(ladder, ladder_svg, example_ladder());
chart_test!(ladder_edge_cases, ladder_svg, example_ladder_edge_cases());
chart_test!(trend, trend_svg, example_trend());
chart_test!(trend_single, trend_svg, example_trend_single());
chart_test!(trend_long, trend_svg, example_trend_long());
chart_test!(heatmap, heatmap_svg, example_heatmap());
chart_test!(
    heatmap_edge_cases,
    heatmap_svg,
    example_heatmap_edge_cases()
);
chart_test!(question_bars, question_bars_svg, example_question_bars());
chart_test!(
    question_bars_edge_cases,
    question_bars_svg,
    example_question_bars_edge_cases()
);
chart_test!(roadmap, roadmap_svg, example_roadmap());
chart_test!(
    roadmap_edge_cases,
    roadmap_svg,
    example_roadmap_edge_cases()
);

#[test]
fn below_threshold_never_shows_as_threshold() {
    let svg = ladder_svg(&example_ladder_edge_cases());
    assert!(svg.contains(">\n0.74\n<"), "0.7499 shows as 0.74");
    let svg = question_bars_svg(&example_question_bars_edge_cases());
    assert!(svg.contains(">\n0.74\n<"));
}

#[test]
fn hidden_groups_show_no_figures() {
    let data = example_heatmap();
    let svg = heatmap_svg(&data);
    assert!(svg.contains("n = 2, hidden"));
    // Every printed cell figure comes from a shown group or a gap.
    let shown: usize = data.cells.iter().flatten().filter(|c| c.is_some()).count();
    let figures = svg.matches(">\n0.").count();
    assert_eq!(
        figures,
        shown + data.gaps.len() + 3,
        "cells, gaps and the scale's ticks 0.25, 0.50, 0.75"
    );
}

#[test]
fn draws_on_other_sizes_and_backends() {
    // Half the width: everything scales; no panic, no error.
    let data = example_ladder();
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, (500, 220)).into_drawing_area();
        draw_ladder(&area, &data).unwrap();
        area.present().unwrap();
    }
    assert!(
        buf.contains("font-size=\"8"),
        "fonts scale with the canvas width"
    );
}

/// The boxes of every `<text>` of an SVG written by the charts: (x0, y0, x1, y1, text).
fn text_boxes(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(tag[i..i + tag[i..].find('"')?].to_string())
    };
    let mut boxes = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        let tail = &rest[i..];
        let close = tail.find('>').unwrap();
        let tag = &tail[..close];
        let end = tail.find("</text>").unwrap();
        let text = tail[close + 1..end]
            .trim()
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        let num = |n: &str| attr(tag, n).unwrap().parse::<f64>().unwrap();
        let (x, y, size) = (num("x"), num("y"), num("font-size"));
        let bold = attr(tag, "font-weight").is_some();
        let w = text_width(&text, size, bold);
        let x0 = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        // Capitals are centred on y; ascenders and descenders reach about 0.4 em beyond.
        boxes.push((x0, y - 0.4 * size, x0 + w, y + 0.4 * size, text));
        rest = &tail[end..];
    }
    boxes
}

#[test]
fn no_text_overlaps_and_all_text_is_inside() {
    let charts: Vec<(&str, String, (u32, u32))> = vec![
        (
            "radar",
            radar_svg(&example_radar()),
            radar_size(&example_radar()),
        ),
        (
            "radar_single",
            radar_svg(&example_radar_single()),
            RADAR_SIZE,
        ),
        (
            "radar_six_blocks",
            radar_svg(&example_radar_six_blocks()),
            RADAR_SIZE,
        ),
        (
            "ladder",
            ladder_svg(&example_ladder()),
            ladder_size(&example_ladder()),
        ),
        (
            "ladder_edge_cases",
            ladder_svg(&example_ladder_edge_cases()),
            ladder_size(&example_ladder_edge_cases()),
        ),
        ("trend", trend_svg(&example_trend()), TREND_SIZE),
        (
            "trend_single",
            trend_svg(&example_trend_single()),
            TREND_SIZE,
        ),
        ("trend_long", trend_svg(&example_trend_long()), TREND_SIZE),
        (
            "heatmap",
            heatmap_svg(&example_heatmap()),
            heatmap_size(&example_heatmap()),
        ),
        (
            "heatmap_edge_cases",
            heatmap_svg(&example_heatmap_edge_cases()),
            heatmap_size(&example_heatmap_edge_cases()),
        ),
        (
            "question_bars",
            question_bars_svg(&example_question_bars()),
            question_bars_size(&example_question_bars()),
        ),
        (
            "question_bars_edge_cases",
            question_bars_svg(&example_question_bars_edge_cases()),
            question_bars_size(&example_question_bars_edge_cases()),
        ),
        (
            "roadmap",
            roadmap_svg(&example_roadmap()),
            roadmap_size(&example_roadmap()),
        ),
        (
            "roadmap_edge_cases",
            roadmap_svg(&example_roadmap_edge_cases()),
            roadmap_size(&example_roadmap_edge_cases()),
        ),
    ];
    for (name, svg, (w, h)) in charts {
        let boxes = text_boxes(&svg);
        assert!(!boxes.is_empty());
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.0 >= -0.5
                    && a.1 >= -0.5
                    && a.2 <= f64::from(w) + 0.5
                    && a.3 <= f64::from(h) + 0.5,
                "{name}: {:?} leaves the {w}×{h} canvas",
                a
            );
            for b in &boxes[i + 1..] {
                // One pixel of slack: coordinates are rounded to whole pixels.
                let overlap =
                    a.0 < b.2 - 1.0 && b.0 < a.2 - 1.0 && a.1 < b.3 - 1.0 && b.1 < a.3 - 1.0;
                assert!(!overlap, "{name}: {:?} overlaps {:?}", a.4, b.4);
            }
        }
    }
}

#[test]
fn every_label_is_at_least_15_px() {
    for svg in [
        radar_svg(&example_radar()),
        ladder_svg(&example_ladder()),
        trend_svg(&example_trend_long()),
        heatmap_svg(&example_heatmap()),
        question_bars_svg(&example_question_bars()),
        roadmap_svg(&example_roadmap()),
        roadmap_svg(&example_roadmap_edge_cases()),
    ] {
        for (_, y0, _, y1, text) in text_boxes(&svg) {
            assert!(
                (y1 - y0) / 0.8 >= 15.0 - 1e-9,
                "{text} is smaller than 15 px"
            );
        }
    }
}

#[test]
fn the_overlap_check_sees_overlaps() {
    let svg = "<text x=\"10\" y=\"20\" text-anchor=\"start\" font-size=\"18\">\nVoice of the Customer\n</text>\n\
               <text x=\"150\" y=\"26\" text-anchor=\"start\" font-size=\"16\" font-weight=\"bold\">\n0.75\n</text>";
    let b = text_boxes(svg);
    assert_eq!(b.len(), 2);
    assert!(b[0].0 < b[1].2 && b[1].0 < b[0].2 && b[0].1 < b[1].3 && b[1].1 < b[0].3);
}
