//! The one test of every mirror: each template of [`MIRRORS`] rendered through Tera and
//! written by its mirror, from the same values.

use super::*;
use crate::render::views::{BarView, CellView, PendingView, TableView, column_labels};

/// The built-in templates, as the theme compiles them, with the words of a
/// Vietnamese site as the `t` global.
fn tera(s: &Strings) -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.add_raw_templates(super::super::theme::TEMPLATES.iter().copied()).unwrap();
    tera.global_context().insert("t", s.map());
    tera.global_context().insert("site", &serde_json::json!({ "lang": "vi", "title": "Tiến độ <Cần Thơ> & \"X\"" }));
    tera.global_context().insert("paths", &serde_json::json!({ "style": "assets/style.css" }));
    tera
}

fn bar(rank: &str, name: &str, href: &str, current: bool, anchor: &str) -> BarView {
    BarView {
        rank: rank.into(),
        name: name.into(),
        href: href.into(),
        width: "0.8052".into(),
        value: "80,52\u{a0}%".into(),
        status: "behind",
        status_label: "Chậm <tiến> độ".into(),
        icon: "✖",
        current,
        anchor: anchor.into(),
        gap: rank == "23",
    }
}

fn bars(ranked: bool) -> BarsView {
    BarsView {
        ranked,
        full: "0.6667".into(),
        items: vec![
            bar("22", "Xã <Phong> Điền & \"Co\"", "localities/phong-dien/index.html", false, "r-phong-dien"),
            bar("23", "Phường Long Mỹ", "localities/long-my/index.html", true, ""),
            bar("", "Thành phố Cần Thơ", "", false, ""),
        ],
        html: None,
    }
}

fn compare() -> CompareView {
    CompareView {
        rank: "Thứ 2 trong 3 của <Tỉnh A>.".into(),
        neighbours: bars(true),
        references: bars(false),
        ranking_href: "indicators/i/index.html#r-b".into(),
        full: "Xem <tất cả>".into(),
        html: None,
    }
}

fn chart(s: &Strings) -> ChartView {
    let mut rows = TableRows::new(true);
    rows.row("30/09/2025");
    rows.cell("1.215");
    rows.cell("<b>x</b>");
    let head = vec!["Ngày".to_owned(), "Số <người>".to_owned(), "Tiến độ".to_owned()];
    ChartView {
        html: "<svg role=\"img\"><title>A &lt;b&gt;</title></svg>".into(),
        table: TableView {
            caption: "Số liệu của <Long Mỹ>".into(),
            labels: column_labels(head.iter().skip(1).map(String::as_str)),
            head,
            body: rows.finish(|t, c| tera(s).render(t, c)).unwrap(),
        },
        png: "share/localities/long-my.png".into(),
    }
}

/// A figure with everything a figure can show, one whose year has no targets yet, and
/// one without a figure; with their comparison and ranking written in Rust when `fast`.
fn figures(s: &Strings, fast: bool) -> Vec<FigureView> {
    let root = "../../";
    let full = FigureView {
        id: "trend-<voluntary-si>".into(),
        indicator_name: "Người tham gia <BHXH> tự nguyện".into(),
        unit: "người".into(),
        coverage: true,
        has_data: true,
        status: "behind",
        status_label: "Chậm tiến độ".into(),
        icon: "✖",
        sentence: "Phường Long Mỹ đạt 80,52 % chỉ tiêu & \"x\".".into(),
        missing_note: Some("Chưa có báo cáo <09/2025>".into()),
        gaps_note: Some(String::new()),
        value: "1.215".into(),
        target: "1.509".into(),
        progress: "80,52\u{a0}%".into(),
        bar: "80.5".into(),
        remaining: "294 người".into(),
        rate: "88,25\u{a0}%".into(),
        target_rate: "95,00\u{a0}%".into(),
        expected: "1.300".into(),
        pace: Some("+30 người/tháng".into()),
        needed: None,
        projection: Some("1.400".into()),
        as_of: "30/09/2025".into(),
        source: Some("Báo cáo <tháng 9>".into()),
        chart: Some(chart(s)),
        compare: Some(compare()),
        ranking: Some(bars(true)),
        pending: None,
        html: None,
    };
    let pending = FigureView {
        has_data: false,
        status: "none",
        chart: None,
        compare: None,
        ranking: None,
        source: None,
        pending: Some(PendingView {
            value: "1.230 người".into(),
            change: Some("+15 người so với <31/12/2025>".into()),
            previous: Some("Năm 2025: 1.215 người".into()),
            note: "Chỉ tiêu năm 2026 chưa công bố.".into(),
        }),
        ..figures_plain()
    };
    let none = FigureView {
        has_data: false,
        status: "none",
        missing_note: Some("Chưa có <số liệu>".into()),
        ..figures_plain()
    };
    let mut all = vec![full, pending, none];
    if fast {
        for f in &mut all {
            if let Some(c) = &mut f.compare {
                c.html = Some(c.to_html(3, s.get("compare_heading"), root));
            }
            if let Some(r) = &mut f.ranking {
                r.html = Some(r.to_html(root));
            }
        }
    }
    all
}

/// A figure of no data, to start the others from.
fn figures_plain() -> FigureView {
    FigureView {
        id: "group-bhyt".into(),
        indicator_name: "BHYT".into(),
        unit: String::new(),
        coverage: false,
        has_data: false,
        status: "none",
        status_label: String::new(),
        icon: "",
        sentence: "Chưa có số liệu <năm 2025>.".into(),
        missing_note: None,
        gaps_note: None,
        value: String::new(),
        target: String::new(),
        progress: String::new(),
        bar: "0".into(),
        remaining: String::new(),
        rate: String::new(),
        target_rate: String::new(),
        expected: String::new(),
        pace: None,
        needed: None,
        projection: None,
        as_of: "31/01/2026".into(),
        source: None,
        chart: None,
        compare: None,
        ranking: None,
        pending: None,
        html: None,
    }
}

fn render(tera: &tera::Tera, template: &str, values: &[(&str, &dyn erased::Value)]) -> String {
    let mut ctx = tera::Context::new();
    ctx.insert("root", "../../");
    for (name, value) in values {
        value.insert_into(&mut ctx, name);
    }
    tera.render(template, &ctx).unwrap_or_else(|e| panic!("{template}: {e:?}"))
}

/// Lets [`render`] take values of any serializable type.
mod erased {
    pub trait Value {
        fn insert_into(&self, ctx: &mut tera::Context, name: &str);
    }
    impl<T: serde::Serialize> Value for T {
        fn insert_into(&self, ctx: &mut tera::Context, name: &str) {
            ctx.insert(name.to_owned(), self);
        }
    }
}

/// `template` written through Tera and by its mirror, from the same values.
fn both_ways(template: &str, s: &Strings) -> (String, String) {
    let tera = tera(s);
    let root = "../../";
    match template {
        TableRows::TEMPLATE => {
            let fill = |rows: &mut TableRows| {
                rows.row("30/09/2025");
                rows.cell("1.215");
                rows.cell("<b>\"A&B\"</b> it's");
                rows.row("31/08/2025");
                rows.cell("");
            };
            let (mut fast, mut kept) = (TableRows::new(true), TableRows::new(false));
            fill(&mut fast);
            fill(&mut kept);
            (kept.finish(|t, c| tera.render(t, c)).unwrap(), fast.finish(|t, c| tera.render(t, c)).unwrap())
        }
        UnitRows::TEMPLATE => {
            let cell = |has_data: bool| CellView {
                has_data,
                progress: if has_data { "80,52\u{a0}%".into() } else { String::new() },
                value: String::new(),
                status: if has_data { "behind" } else { "none" },
                status_label: if has_data { "Chậm <tiến> độ".into() } else { String::new() },
                icon: if has_data { "✖" } else { "" },
            };
            let rows = || {
                vec![
                    UnitRow {
                        name: "Xã <Mỹ> & \"Tú\"".into(),
                        href: "localities/my-tu/index.html".into(),
                        old: "Xã <Mỹ Tú> cũ|Thị trấn Huỳnh Hữu Nghĩa".into(),
                        cells: vec![cell(true), cell(false)],
                    },
                    UnitRow {
                        name: "Phường Mới".into(),
                        href: "localities/moi/index.html".into(),
                        old: String::new(),
                        cells: vec![CellView { value: "1.230".into(), ..cell(false) }, cell(false)],
                    },
                ]
            };
            let heads = vec!["BHXH <tự> nguyện".to_owned(), "BHYT".to_owned()];
            let labels = column_labels(heads.iter().map(String::as_str));
            let table = |rows: UnitRows| {
                let values: [(&str, &dyn erased::Value); 5] = [
                    ("rows", &rows),
                    ("table_caption", &"Caption"),
                    ("indicator_heads", &heads),
                    ("labels", &labels),
                    ("searchable", &true),
                ];
                render(&tera, UnitRows::TEMPLATE, &values)
            };
            let fast = UnitRows { rows: Vec::new(), html: Some(UnitRows::write(&rows(), root, s.get("no_data"))) };
            (table(UnitRows { rows: rows(), html: None }), table(fast))
        }
        BarsView::TEMPLATE => {
            let mut both = (String::new(), String::new());
            for ranked in [true, false] {
                both.0 += &render(&tera, template, &[("bars", &bars(ranked))]);
                both.1 += &bars(ranked).to_html(root);
            }
            both
        }
        CompareView::TEMPLATE => {
            let f = serde_json::json!({ "compare": compare() });
            let through = render(&tera, template, &[("f", &f), ("level", &2)]);
            (through, compare().to_html(3, s.get("compare_heading"), root))
        }
        ChartView::TABLE | ChartView::TEMPLATE => {
            let mut rust = String::new();
            if template == ChartView::TABLE {
                chart(s).write_table(&mut rust, s);
            } else {
                chart(s).write_html(&mut rust, s, root);
            }
            (render(&tera, template, &[("chart", &chart(s))]), rust)
        }
        FigureView::TEMPLATE => {
            let mut both = (String::new(), String::new());
            for above in [false, true] {
                for (slow, fast) in figures(s, false).iter().zip(figures(s, true)) {
                    let values: [(&str, &dyn erased::Value); 3] =
                        [("f", slow), ("level", &2), ("sentences_above", &above)];
                    both.0 += &render(&tera, template, &values);
                    both.1 += &fast.to_html(2, above, s, root);
                }
            }
            both
        }
        other => panic!("{other} is in MIRRORS, but this test has no values to render it from"),
    }
}

#[test]
fn every_mirror_writes_what_its_template_writes() {
    let s = Strings::load(
        crate::model::Language::default_language(),
        std::path::Path::new("/nonexistent"),
        &mut Default::default(),
    );
    for m in MIRRORS {
        let (through, rust) = both_ways(m.template, &s);
        assert!(through.contains("&lt;"), "{}: names are escaped: {through}", m.template);
        assert_eq!(through, rust, "{} and its mirror {}", m.template, m.writer);
        for include in m.includes {
            assert!(MIRRORS.iter().any(|other| other.template == *include), "{include} has no mirror");
        }
    }
}

#[test]
fn table_rows_are_escaped_html_with_a_header_cell_each() {
    let mut rows = TableRows::new(true);
    rows.row("30/09/2025");
    rows.cell("1.215");
    rows.cell("<b>\"A&B\"</b> it's");
    rows.row("31/08/2025");
    rows.cell("");
    assert_eq!(
        rows.finish(|t, c| tera::Tera::default().render(t, c)).unwrap(),
        "<tr><th scope=\"row\">30/09/2025</th><td>1.215</td><td>&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; it&#39;s</td></tr>\n\
         <tr><th scope=\"row\">31/08/2025</th><td></td></tr>\n"
    );
    assert_eq!(TableRows::new(true).finish(|t, c| tera::Tera::default().render(t, c)).unwrap(), "");
}
