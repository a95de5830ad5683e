//! The monthly update in the browser, at `/_tiendo/` (SPEC §3): import the workbook the
//! office sent (what was read and every problem, then confirm), check the site, and
//! publish it, for staff who do not use a terminal. Each step is what the command of the
//! same name does, through the same library calls, shown as a page in the site's
//! language.
//!
//! Only pages it served can change anything: every request that writes carries the
//! token of this run, which only those pages hold, and an `Origin` that is the preview's
//! own (a page of another site open in the same browser can send a form here, but
//! neither knows the token nor can claim the origin). Uploads are bounded by the import's
//! size cap and read by the same sandboxed reader as `import`; the browser's file name is
//! shown, never used as a path. Nothing is written outside `data/reports/`, the output
//! folder, the cache and the preview's private folder.

use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use super::Shared;
use super::form::{Field, field, new_token, text};
use super::http::{Reply, reply};
use crate::diag::Diagnostic;
use crate::import::{ImportOptions, Imported};
use crate::t;
use crate::text::escape_html as esc;
use crate::words::messages::{Catalogue, Text};
use crate::{BuildOptions, Error};

/// The largest request body: the import's cap on a sheet, and room for the form's fields.
pub(super) const MAX_BODY: u64 = crate::import::MAX_SHEET_BYTES + 64 * 1024;

/// Where the monthly update is served.
pub(super) const PREFIX: &str = "/_tiendo/";

/// The answer to a GET under [`PREFIX`].
pub(super) fn get(path: &str, shared: &Shared) -> Reply {
    let words = words(shared);
    match path.strip_prefix(PREFIX).unwrap_or("") {
        "" => page(words, &t!("desk_title"), &overview(words, shared)),
        "check" => page(words, &t!("desk_check_title"), &check(words, shared)),
        "site.zip" => site_zip(words, shared),
        _ => reply(404, "text/plain; charset=utf-8", "not found\n"),
    }
}

/// The answer to a POST under [`PREFIX`], once `form::allowed`.
pub(super) fn post(path: &str, fields: &[Field], shared: &Shared) -> Reply {
    let words = words(shared);
    match path.strip_prefix(PREFIX).unwrap_or("") {
        "import" => page(words, &t!("desk_import_title"), &import_read(words, fields, shared)),
        "confirm" => page(words, &t!("desk_import_title"), &import_confirm(words, fields, shared)),
        "reread" => page(words, &t!("desk_import_title"), &import_reread(words, fields, shared)),
        "publish" => page(words, &t!("desk_publish_title"), &publish(words, shared)),
        _ => reply(404, "text/plain; charset=utf-8", "not found\n"),
    }
}

fn words(shared: &Shared) -> &'static Catalogue {
    crate::messages_for(&shared.root, shared.lang.as_deref())
}

/// The output folder `build` writes by default, and the desk publishes to.
fn output(shared: &Shared) -> PathBuf {
    shared.root.join("public")
}

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#1a1a1a;background:#f6f7f9}\
header{background:#1d4e9e;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:baseline}\
header a{color:#fff}header strong{font-size:1.1rem}\
main{max-width:60rem;margin:0 auto;padding:1rem}\
section{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:1rem;margin:0 0 1rem}\
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .6rem}\
label{display:block;font-weight:600;margin:.7rem 0 .2rem}input[type=text],input[type=date],input[type=file]{font:inherit;max-width:100%;box-sizing:border-box}\
input[type=text],input[type=date]{padding:.35rem;border:1px solid #8a93a3;border-radius:4px;width:22rem}\
.hint{color:#4a5160;font-size:.92rem;margin:.1rem 0}\
button{font:inherit;font-weight:600;padding:.5rem 1rem;margin:.8rem .5rem 0 0;border-radius:4px;border:1px solid #1d4e9e;background:#1d4e9e;color:#fff;cursor:pointer}\
button.second{background:#fff;color:#1d4e9e}button.danger{background:#fff;color:#b3261e;border-color:#b3261e}\
a{color:#1d4e9e}:focus-visible{outline:3px solid #f0b400;outline-offset:2px}\
.ok{border-left:6px solid #1e7d32}.bad{border-left:6px solid #b3261e}.warn{border-left:6px solid #b36b00}\
.table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}\
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #e1e4ea}th{background:#eef1f6}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}\
ul.read{padding-left:1.2rem;margin:.3rem 0}code{font-size:.92em;overflow-wrap:anywhere}\
.where{overflow-wrap:anywhere;min-width:9rem}\
@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}input[type=text],input[type=date]{width:100%}\
thead{position:absolute;left:-9999px}tr{display:block;border-bottom:1px solid #c5cad3;padding:.3rem 0}\
td{display:block;border:0;padding:.2rem 0;min-width:0}td::before{content:attr(data-label);display:block;font-weight:600;font-size:.85rem;color:#4a5160}}";

/// A whole page of the desk.
fn page(words: &Catalogue, title: &Text, body: &str) -> Reply {
    let title = esc(&words.render(title));
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>\n<header><strong>{desk}</strong><a href=\"{PREFIX}\">{home}</a>\
         <a href=\"/\">{preview}</a></header>\n<main><h1>{title}</h1>\n{body}</main></body></html>\n",
        lang = words.code(),
        desk = esc(&words.render(&t!("desk_name"))),
        home = esc(&words.render(&t!("desk_nav_home"))),
        preview = esc(&words.render(&t!("desk_nav_preview"))),
    );
    reply(200, "text/html; charset=utf-8", html)
}

fn say(words: &Catalogue, text: &Text) -> String {
    esc(&words.render(text))
}

/// The form fields every writing request carries.
fn token_field(shared: &Shared) -> String {
    format!("<input type=\"hidden\" name=\"token\" value=\"{}\">", shared.token)
}

/// The state of the site at a glance, and the three steps.
fn overview(words: &Catalogue, shared: &Shared) -> String {
    let mut out = String::new();
    let state = crate::pipeline::prepare(&shared.root, &mut crate::pipeline::Stopwatch::new());
    out.push_str("<section><h2>");
    out.push_str(&say(words, &t!("desk_state")));
    out.push_str("</h2><dl>");
    let mut row = |term: Text, value: String| {
        out.push_str(&format!("<dt>{}</dt><dd>{value}</dd>", say(words, &term)));
    };
    let mut next_as_of = None;
    match &state {
        Ok(prepared) => {
            let site = &prepared.site;
            match site.reports.iter().max_by_key(|r| r.as_of) {
                Some(latest) => {
                    row(
                        t!("desk_latest_report"),
                        say(words, &t!("desk_latest_report_is", file = latest.file.as_str(), as_of = latest.as_of)),
                    );
                    let year = latest.as_of.year();
                    let targets = site.years.iter().any(|y| y.year == year);
                    let key = if targets { "desk_targets_present" } else { "desk_targets_missing" };
                    row(t!("desk_targets"), say(words, &Text::new(key, vec![("year", year.into())])));
                    next_as_of = next_month_end(latest.as_of);
                }
                None => row(t!("desk_latest_report"), say(words, &t!("desk_no_report"))),
            }
            let warnings = prepared.diagnostics.clone().into_sorted().len();
            row(
                t!("desk_warnings"),
                format!("{} · <a href=\"{PREFIX}check\">{}</a>", warnings, say(words, &t!("desk_see_check"))),
            );
        }
        Err(_) => row(
            t!("desk_warnings"),
            format!("<a href=\"{PREFIX}check\">{}</a>", say(words, &t!("desk_site_has_errors"))),
        ),
    }
    row(t!("desk_last_publish"), last_publish(words, shared));
    out.push_str("</dl></section>\n");
    out.push_str(&import_form(words, shared, next_as_of));
    out.push_str(&format!(
        "<section><h2>{}</h2><p>{}</p><p><a href=\"{PREFIX}check\">{}</a></p></section>\n",
        say(words, &t!("desk_check_title")),
        say(words, &t!("desk_check_what")),
        say(words, &t!("desk_check_go")),
    ));
    out.push_str(&format!(
        "<section><h2>{}</h2><p>{}</p><form method=\"post\" action=\"{PREFIX}publish\" enctype=\"multipart/form-data\">{}\
         <button type=\"submit\">{}</button></form></section>\n",
        say(words, &t!("desk_publish_title")),
        say(words, &t!("desk_publish_what", output = output(shared).display().to_string())),
        token_field(shared),
        say(words, &t!("desk_publish_go")),
    ));
    out
}

/// The last day of the month after `date`'s: the next report's usual date.
fn next_month_end(date: crate::date::Date) -> Option<crate::date::Date> {
    let (y, m) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    let first = crate::date::Date::new(y, m, 1)?;
    crate::date::Date::new(y, m, first.days_in_month())
}

/// When the output folder was last written, as "3 days ago".
fn last_publish(words: &Catalogue, shared: &Shared) -> String {
    let modified = std::fs::metadata(output(shared).join("index.html")).and_then(|m| m.modified());
    let Ok(age) = modified.map(|m| m.elapsed().unwrap_or_default()) else {
        return say(words, &t!("desk_never_published"));
    };
    let minutes = age.as_secs() / 60;
    let text = match minutes {
        0 => t!("desk_ago_now"),
        m if m < 60 => t!("desk_ago_minutes", n = m),
        m if m < 48 * 60 => t!("desk_ago_hours", n = m / 60),
        m => t!("desk_ago_days", n = m / (24 * 60)),
    };
    say(words, &text)
}

fn import_form(words: &Catalogue, shared: &Shared, as_of: Option<crate::date::Date>) -> String {
    let as_of = as_of.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "<section><h2>{title}</h2><form method=\"post\" action=\"{PREFIX}import\" enctype=\"multipart/form-data\">{token}\
         <label for=\"file\">{file}</label><p class=\"hint\" id=\"file-hint\">{file_hint}</p>\
         <input type=\"file\" id=\"file\" name=\"file\" required aria-describedby=\"file-hint\" \
         accept=\".xlsx,.xls,.xlsb,.ods,.csv,.txt,.tsv\">\
         <label for=\"as_of\">{date}</label><p class=\"hint\" id=\"date-hint\">{date_hint}</p>\
         <input type=\"date\" id=\"as_of\" name=\"as_of\" value=\"{as_of}\" required aria-describedby=\"date-hint\">\
         <label for=\"sheet\">{sheet}</label><p class=\"hint\" id=\"sheet-hint\">{sheet_hint}</p>\
         <input type=\"text\" id=\"sheet\" name=\"sheet\" aria-describedby=\"sheet-hint\">\
         <label for=\"source\">{source}</label><p class=\"hint\" id=\"source-hint\">{source_hint}</p>\
         <input type=\"text\" id=\"source\" name=\"source\" aria-describedby=\"source-hint\">\
         <div><button type=\"submit\">{go}</button></div></form></section>\n",
        title = say(words, &t!("desk_import_title")),
        token = token_field(shared),
        file = say(words, &t!("desk_import_file")),
        file_hint = say(words, &t!("desk_import_file_hint")),
        date = say(words, &t!("desk_import_date")),
        date_hint = say(words, &t!("desk_import_date_hint")),
        sheet = say(words, &t!("desk_import_sheet")),
        sheet_hint = say(words, &t!("desk_import_sheet_hint")),
        source = say(words, &t!("desk_import_source")),
        source_hint = say(words, &t!("desk_import_source_hint")),
        go = say(words, &t!("desk_import_go")),
    )
}

/// The upload's place in the preview's private folder: named by the desk, never by the browser.
fn upload_path(shared: &Shared, id: &str) -> Option<PathBuf> {
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| shared.uploads.join(id))
}

/// The options of an import of the stored upload `id`, from the form's fields.
fn import_options(shared: &Shared, fields: &[Field], id: &str, dry_run: bool) -> Option<ImportOptions> {
    let optional = |name: &str| Some(text(fields, name)).filter(|s| !s.is_empty());
    let mode = text(fields, "mode");
    Some(ImportOptions {
        file: upload_path(shared, id)?,
        as_of: text(fields, "as_of"),
        root: shared.root.clone(),
        force: mode == "replace",
        merge: mode == "merge",
        source: optional("source"),
        sheet: optional("sheet"),
        reader: shared.reader.clone(),
        dry_run,
        shown: Some(optional("name").unwrap_or_else(|| "upload".to_owned())),
    })
}

/// Step one: store the upload, read it as `import` would, and show what was read, or
/// every problem; nothing is written.
fn import_read(words: &Catalogue, fields: &[Field], shared: &Shared) -> String {
    let Some(file) = field(fields, "file").filter(|f| !f.data.is_empty()) else {
        return problem(words, &t!("desk_import_no_file"));
    };
    let id = new_token();
    let stored = std::fs::create_dir_all(&shared.uploads)
        .and_then(|()| upload_path(shared, &id).ok_or(std::io::ErrorKind::InvalidInput.into()))
        .and_then(|path| crate::output::write_new(&path, &file.data));
    if let Err(e) = stored {
        return problem(words, &t!("desk_upload_not_stored", why = crate::words::messages::io_reason(&e)));
    }
    // The browser's name for the file (never a path, see `allowed`), in messages only.
    let name: String =
        file.filename.as_deref().filter(|n| !n.is_empty()).unwrap_or("upload").chars().take(200).collect();
    let mut named: Vec<Field> = fields
        .iter()
        .filter(|f| f.name != "file")
        .map(|f| Field { name: f.name.clone(), filename: None, data: f.data.clone() })
        .collect();
    named.push(Field { name: "name".into(), filename: None, data: name.into_bytes() });
    read_stored(words, &named, shared, &id)
}

/// Reads the stored upload `id` again with the date the sheet states, after the officer
/// chose it.
fn import_reread(words: &Catalogue, fields: &[Field], shared: &Shared) -> String {
    read_stored(words, fields, shared, &text(fields, "upload"))
}

/// Reads the stored upload `id` as `import` would, writing nothing: what was read, or
/// every problem.
fn read_stored(words: &Catalogue, fields: &[Field], shared: &Shared, id: &str) -> String {
    let Some(options) = import_options(shared, fields, id, true).filter(|o| o.file.is_file()) else {
        return problem(words, &t!("desk_upload_gone")) + &again(words);
    };
    match crate::import::import(&options) {
        Ok(done) => read_summary(words, shared, fields, id, &done),
        Err(e) => stated_date(words, shared, fields, id, &e) + &refused(words, &e) + &again(words),
    }
}

/// When the only problem is that the sheet states another date than the one chosen, and
/// all it states agree: a button that reads it again with that date.
fn stated_date(words: &Catalogue, shared: &Shared, fields: &[Field], id: &str, e: &Error) -> String {
    let Error::Input(diagnostics) = e else { return String::new() };
    let stated: Vec<Option<&crate::words::messages::Arg>> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.help.as_deref().filter(|h| h.key() == "import_date_contradicts_help").and_then(|h| h.arg("example")))
        .collect();
    let Some(Some(crate::words::messages::Arg::Plain(date))) = stated.first().copied() else { return String::new() };
    let Ok(as_of) = crate::date::Date::parse(date) else { return String::new() };
    if stated.iter().any(|s| !matches!(s, Some(crate::words::messages::Arg::Plain(d)) if d == date)) {
        return String::new();
    }
    let hidden = |name: &str| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", esc(&text(fields, name)));
    format!(
        "<section><form method=\"post\" action=\"{PREFIX}reread\" enctype=\"multipart/form-data\">{}\
         <input type=\"hidden\" name=\"upload\" value=\"{}\"><input type=\"hidden\" name=\"as_of\" value=\"{}\">{}{}{}\
         <p>{}</p><button type=\"submit\">{}</button></form></section>\n",
        token_field(shared),
        esc(id),
        as_of,
        hidden("sheet"),
        hidden("source"),
        hidden("name"),
        say(words, &t!("desk_stated_date", as_of)),
        say(words, &t!("desk_reread", as_of)),
    )
}

/// What was read, the warnings, and the button that writes it.
fn read_summary(words: &Catalogue, shared: &Shared, fields: &[Field], id: &str, done: &Imported) -> String {
    let mut out = format!("<section class=\"ok\"><h2>{}</h2><ul class=\"read\">", say(words, &t!("desk_read_title")));
    for line in &done.read {
        out.push_str(&format!("<li>{}</li>", say(words, line).trim()));
    }
    out.push_str("</ul></section>\n");
    out.push_str(&diagnostics_table(words, &done.warnings, None));
    let hidden = |name: &str| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", esc(&text(fields, name)));
    let mut form = format!(
        "<form method=\"post\" action=\"{PREFIX}confirm\" enctype=\"multipart/form-data\">{}\
         <input type=\"hidden\" name=\"upload\" value=\"{id}\">{}{}{}{}",
        token_field(shared),
        hidden("as_of"),
        hidden("sheet"),
        hidden("source"),
        hidden("name"),
    );
    let will = t!(
        "desk_will_write",
        report = done.report.as_str(),
        figures = done.figures,
        units = done.units,
        as_of = done.as_of
    );
    if done.replaces {
        form.push_str(&format!(
            "<p>{}</p><p>{}</p><button type=\"submit\" name=\"mode\" value=\"replace\" class=\"danger\">{}</button>\
             <button type=\"submit\" name=\"mode\" value=\"merge\" class=\"second\">{}</button>",
            say(words, &will),
            say(words, &t!("desk_report_exists", report = done.report.as_str())),
            say(words, &t!("desk_replace")),
            say(words, &t!("desk_merge")),
        ));
    } else {
        form.push_str(&format!(
            "<p>{}</p><button type=\"submit\" name=\"mode\" value=\"new\">{}</button>",
            say(words, &will),
            say(words, &t!("desk_confirm"))
        ));
    }
    form.push_str(&format!(" <a href=\"{PREFIX}\">{}</a></form>", say(words, &t!("desk_cancel"))));
    out.push_str(&format!("<section><h2>{}</h2>{form}</section>\n", say(words, &t!("desk_confirm_title"))));
    out
}

/// Step two: write the report, as `import` does.
fn import_confirm(words: &Catalogue, fields: &[Field], shared: &Shared) -> String {
    let id = text(fields, "upload");
    let Some(options) = import_options(shared, fields, &id, false).filter(|o| o.file.is_file()) else {
        return problem(words, &t!("desk_upload_gone")) + &again(words);
    };
    match crate::import::import(&options) {
        Ok(done) => {
            let _ = std::fs::remove_file(&options.file);
            let mut out = format!(
                "<section class=\"ok\"><h2>{}</h2><p>{}</p><p><a href=\"/\">{}</a> · <a href=\"{PREFIX}\">{}</a></p></section>\n",
                say(words, &t!("desk_written_title")),
                say(
                    words,
                    &t!("desk_written", report = done.report.as_str(), figures = done.figures, units = done.units)
                ),
                say(words, &t!("desk_see_preview")),
                say(words, &t!("desk_nav_home")),
            );
            out.push_str(&diagnostics_table(words, &done.warnings, None));
            out
        }
        Err(e) => refused(words, &e) + &again(words),
    }
}

/// A link back to the form.
fn again(words: &Catalogue) -> String {
    format!("<p><a href=\"{PREFIX}\">{}</a></p>", say(words, &t!("desk_try_again")))
}

fn problem(words: &Catalogue, text: &Text) -> String {
    format!("<section class=\"bad\" role=\"alert\"><p>{}</p></section>\n", say(words, text))
}

/// Why a step failed: every problem in a table, and that nothing was written.
fn refused(words: &Catalogue, e: &Error) -> String {
    match e {
        Error::Input(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).map(|d| 1 + d.more as usize).sum::<usize>();
            format!(
                "<section class=\"bad\" role=\"alert\"><h2>{}</h2><p>{}</p></section>\n{}",
                say(words, &t!("desk_refused_title", n = errors)),
                say(words, &t!("desk_nothing_written")),
                diagnostics_table(words, diagnostics, None)
            )
        }
        other => problem(words, &other.text()) + &problem(words, &t!("desk_nothing_written")),
    }
}

/// The preview's page a problem concerns, if any.
type PageOf<'a> = &'a dyn Fn(&Diagnostic) -> Option<String>;

/// Problems as a table a person reads: where, what, and what to do; each linked to the
/// preview's page it concerns, where there is one.
fn diagnostics_table(words: &Catalogue, diagnostics: &[Diagnostic], pages: Option<PageOf>) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let errors = diagnostics.iter().any(Diagnostic::is_error);
    let title = if errors { t!("desk_problems") } else { t!("desk_warnings_title") };
    let mut out = format!(
        "<section class=\"{}\"><h2>{}</h2><div class=\"table\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        if errors { "bad" } else { "warn" },
        say(words, &title),
        say(words, &t!("desk_col_where")),
        say(words, &t!("desk_col_what")),
        say(words, &t!("desk_col_todo")),
    );
    let (where_, what_, todo_) =
        (say(words, &t!("desk_col_where")), say(words, &t!("desk_col_what")), say(words, &t!("desk_col_todo")));
    for d in diagnostics.iter().map(in_desk_words) {
        let d = &d;
        let label = if d.is_error() { t!("label_error") } else { t!("label_warning") };
        let mut place = esc(&d.file);
        if d.line > 0 {
            place.push_str(&format!("<br>{}", say(words, &t!("desk_line", line = d.line))));
        }
        if let Some(href) = pages.and_then(|f| f(d)) {
            place.push_str(&format!("<br><a href=\"{}\">{}</a>", esc(&href), say(words, &t!("desk_see_page"))));
        }
        let mut what = format!("<strong>{}</strong>: {}", say(words, &label), say(words, &d.message));
        if d.more > 0 {
            what.push_str(&format!(" <em>{}</em>", say(words, &t!("desk_more_like_this", n = d.more))));
        }
        let todo = d.help.as_deref().map(|h| say(words, h)).unwrap_or_default();
        out.push_str(&format!(
            "<tr><td class=\"where\" data-label=\"{where_}\">{place}</td><td data-label=\"{what_}\">{what}</td>\
             <td data-label=\"{todo_}\">{todo}</td></tr>"
        ));
    }
    out.push_str("</tbody></table></div></section>\n");
    out
}

/// A problem as the desk words it: the import's messages that speak of `--as-of` speak
/// of the date chosen on the page here.
fn in_desk_words(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    let key = match d.message.key() {
        "import_date_contradicts" => Some("desk_date_contradicts"),
        "import_date_contradicts_sheet" => Some("desk_date_contradicts_sheet"),
        _ => None,
    };
    if let Some(key) = key {
        d.message = d.message.rekeyed(key);
    }
    if let Some(help) = d.help.as_deref().filter(|h| h.key() == "import_date_contradicts_help") {
        let stated = match help.arg("example") {
            Some(crate::words::messages::Arg::Plain(iso)) => crate::date::Date::parse(iso).ok(),
            _ => None,
        };
        d.help = Some(Box::new(match stated {
            Some(example) => t!("desk_date_contradicts_help", example),
            None => help.rekeyed("desk_date_contradicts_help"),
        }));
    }
    d
}

/// `check`'s result, each problem linked to the page it concerns.
fn check(words: &Catalogue, shared: &Shared) -> String {
    let result = crate::check(&shared.root);
    let ids: Vec<String> = crate::validate::lists(&shared.root, &mut crate::diag::Diagnostics::new())
        .map(|l| l.localities.into_iter().map(|l| l.id).collect())
        .unwrap_or_default();
    let root = shared.root.clone();
    let pages = move |d: &Diagnostic| page_of(&root, &ids, d);
    match result {
        Ok(warnings) if warnings.is_empty() => {
            format!("<section class=\"ok\"><p>{}</p></section>\n", say(words, &t!("desk_check_clean")))
        }
        Ok(warnings) => {
            format!("<section class=\"ok\"><p>{}</p></section>\n", say(words, &t!("desk_check_only_warnings")))
                + &diagnostics_table(words, &warnings, Some(&pages))
        }
        Err(Error::Input(diagnostics)) => diagnostics_table(words, &diagnostics, Some(&pages)),
        Err(other) => problem(words, &other.text()),
    }
}

/// The preview's page a problem concerns: a unit's, from its commentary file or its line
/// of a report.
fn page_of(root: &Path, ids: &[String], d: &Diagnostic) -> Option<String> {
    let unit = |id: &str| ids.iter().any(|i| i == id).then(|| format!("/localities/{id}/"));
    if let Some(id) = d.file.strip_prefix("content/localities/").and_then(|f| f.strip_suffix(".md")) {
        return unit(id);
    }
    if d.file.starts_with("data/reports/") && d.line > 0 {
        let line = match &d.source_line {
            Some(line) => line.clone(),
            None => std::fs::read_to_string(root.join(&d.file)).ok()?.lines().nth(d.line as usize - 1)?.to_owned(),
        };
        let key = line.trim_start().split(':').next()?.trim().trim_matches(['"', '\'']);
        return unit(key);
    }
    None
}

/// Builds the site into its output folder as `build` does, and says what to copy.
fn publish(words: &Catalogue, shared: &Shared) -> String {
    let _one_at_a_time = shared.publishing.lock().unwrap_or_else(PoisonError::into_inner);
    let output = output(shared);
    let options = BuildOptions { root: shared.root.clone(), output: output.clone(), base_url: None };
    match crate::build(&options) {
        Ok(summary) => {
            let folder = output.display().to_string();
            let mut out = format!(
                "<section class=\"ok\"><h2>{}</h2><p>{}</p><p>{}</p><p><a href=\"{PREFIX}site.zip\" download>{}</a></p><p class=\"hint\">{}</p></section>\n",
                say(words, &t!("desk_published_title")),
                say(words, &t!("desk_published", pages = summary.pages, folder = folder.as_str())),
                say(words, &t!("desk_published_copy", folder = folder.as_str())),
                say(words, &t!("desk_zip")),
                say(words, &t!("desk_zip_hint")),
            );
            if let Some(changed) = &summary.changes {
                out.push_str(&changes_section(words, &summary, &changed.files));
            }
            out.push_str(&diagnostics_table(words, &summary.warnings, None));
            out
        }
        Err(e) => refused(words, &e),
    }
}

/// What publishing changed, for an office that uploads only that: the counts, where the
/// list is, and the first files of each kind.
fn changes_section(words: &Catalogue, summary: &crate::Summary, changes: &crate::output::changes::Changes) -> String {
    const SHOWN: usize = 30;
    let mut out = format!("<section><h2>{}</h2>", say(words, &t!("desk_changes_title")));
    if let Some(text) = summary.changes_text() {
        out.push_str(&format!("<p>{}</p>", say(words, &text)));
    }
    let kinds = [
        (t!("changes_added"), &changes.added),
        (t!("changes_changed"), &changes.changed),
        (t!("changes_removed"), &changes.removed),
    ];
    for (heading, paths) in kinds.iter().filter(|(_, p)| !p.is_empty()) {
        out.push_str(&format!("<details><summary>{} ({})</summary><ul>", say(words, heading), paths.len()));
        for p in paths.iter().take(SHOWN) {
            out.push_str(&format!("<li>{}</li>", esc(p)));
        }
        if paths.len() > SHOWN {
            out.push_str(&format!("<li>{}</li>", say(words, &t!("desk_more_like_this", n = paths.len() - SHOWN))));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>\n");
    out
}

/// The published folder as a `.zip`, for offices that upload through a web form: written
/// in the preview's private folder, then sent.
fn site_zip(words: &Catalogue, shared: &Shared) -> Reply {
    let _one_at_a_time = shared.publishing.lock().unwrap_or_else(PoisonError::into_inner);
    let output = output(shared);
    if !output.join("index.html").is_file() {
        return page(words, &t!("desk_publish_title"), &problem(words, &t!("desk_zip_nothing")));
    }
    let zip = shared.uploads.with_file_name("site.zip");
    // Opened before the lock is let go: a zip made for the next request is a new file,
    // and this one is sent whole.
    match write_zip(&output, &zip).and_then(|()| std::fs::File::open(&zip)) {
        Ok(file) => {
            Reply { disposition: Some("site.zip"), file: Some(file), ..reply(200, "application/zip", Vec::new()) }
        }
        Err(e) => page(
            words,
            &t!("desk_publish_title"),
            &problem(words, &t!("desk_zip_failed", why = crate::words::messages::io_reason(&e))),
        ),
    }
}

/// Every file under `dir`, in a zip at `to`, by their paths from `dir`, in sorted order;
/// links are not followed.
fn write_zip(dir: &Path, to: &Path) -> std::io::Result<()> {
    use std::io::Write;
    // A new file, not the last one cut short: it may still be being sent.
    match std::fs::remove_file(to) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(to)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(false);
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).map_err(std::io::Error::other)?;
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        // Pictures are compressed already.
        let how = if name.ends_with(".png") { stored } else { options };
        zip.start_file(name, how).map_err(std::io::Error::other)?;
        zip.write_all(&std::fs::read(entry.path())?)?;
    }
    zip.finish().map_err(std::io::Error::other)?.flush()
}
