//! Dependencies inside the app crate run one way: pages → sync →
//! serverfns → store → domain, with the wire types (`api`) and the domain
//! as leaves. This test reads every source file and fails on any path that
//! reaches against that direction, through a `use` or an inline
//! `crate::…` (or `super::…` up to the crate root) path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which top-level modules each module may use. A module may always use
/// itself; `lib.rs` declares them all and is not checked.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("api", &["domain"]),
    ("hashing", &[]),
    ("security", &[]),
    ("zone", &["domain"]),
    ("i18n", &["api", "domain"]),
    ("store", &["api", "domain", "hashing", "zone"]),
    ("context", &["api", "domain", "store", "zone"]),
    ("error", &["api", "domain", "store"]),
    (
        "auth",
        &["api", "context", "domain", "error", "hashing", "store"],
    ),
    (
        "serverfns",
        &[
            "api", "auth", "context", "domain", "error", "hashing", "store", "zone",
        ],
    ),
    ("sync", &["api", "domain", "serverfns"]),
    ("components", &["api", "domain", "i18n", "sync"]),
    (
        "pages",
        &["api", "components", "domain", "i18n", "serverfns", "sync"],
    ),
    (
        "shell",
        &["components", "i18n", "pages", "security", "sync"],
    ),
];

/// One path that reaches a module its file's module may not use.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
}

fn allowed(from: &str, to: &str) -> Option<bool> {
    ALLOWED
        .iter()
        .find(|(module, _)| *module == from)
        .map(|(_, targets)| from == to || targets.contains(&to))
}

/// The module path of a file under `src/`: `serverfns/visits/mod.rs` is
/// `[serverfns, visits]`, `store/visits.rs` is `[store, visits]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// Whether the `r` at `at` opens a raw string: `r"`, or `br"` / `cr"`,
/// not the end of an identifier such as `bar"`.
fn raw_string_starts(chars: &[char], at: usize) -> bool {
    let is_word = |c: &char| c.is_alphanumeric() || *c == '_';
    match at.checked_sub(1).map(|p| chars[p]) {
        None => true,
        Some('b' | 'c') => !at
            .checked_sub(2)
            .and_then(|p| chars.get(p))
            .is_some_and(is_word),
        Some(previous) => !is_word(&previous),
    }
}

/// The source with comments, string and character literals blanked out
/// (newlines kept, so line numbers stay true).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && raw_string_starts(&chars, i)
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|&c| blank(c)));
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier starting at `at` after any whitespace, and where it ends.
fn ident_at(code: &[char], mut at: usize) -> Option<(String, usize)> {
    while code.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    let start = at;
    while code.get(at).copied().is_some_and(is_ident) {
        at += 1;
    }
    (at > start).then(|| (code[start..at].iter().collect(), at))
}

/// `::` after any whitespace: where it ends.
fn path_separator(code: &[char], mut at: usize) -> Option<usize> {
    while code.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    (code.get(at) == Some(&':') && code.get(at + 1) == Some(&':')).then_some(at + 2)
}

/// The first segment of each path in a `{…}` group starting at `at` (the
/// brace): `{a::b, c, d::{e}}` gives a, c and d.
fn group_heads(code: &[char], at: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    let mut i = at;
    while i < code.len() {
        match code[i] {
            '{' => {
                depth += 1;
                if depth == 1 {
                    expect_head = true;
                }
                i += 1;
            }
            '}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                expect_head = true;
                i += 1;
            }
            '*' if depth == 1 && expect_head => {
                heads.push("*".to_owned());
                expect_head = false;
                i += 1;
            }
            c if depth == 1 && expect_head && is_ident(c) => {
                let (ident, end) = ident_at(code, i).expect("an identifier starts here");
                heads.push(ident);
                expect_head = false;
                i = end;
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                if depth == 1 {
                    expect_head = false;
                }
                i += 1;
            }
        }
    }
    heads
}

/// The top-level modules a file's code reaches by path, each with its line.
fn reached_modules(file_module: &[String], source: &str) -> Vec<(String, usize)> {
    let code: Vec<char> = code_only(source).chars().collect();
    let line_of = |at: usize| code[..at].iter().filter(|&&c| c == '\n').count() + 1;
    let mut reached = Vec::new();
    // Inline `mod name { … }` blocks open around this point: each adds one
    // level that `super` climbs out of. Held as the brace depth inside each.
    let mut inline_modules: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < code.len() {
        match code[i] {
            '{' => {
                depth += 1;
                i += 1;
                continue;
            }
            '}' => {
                if inline_modules.last() == Some(&depth) {
                    inline_modules.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            _ => {}
        }
        let starts_word = i == 0 || !is_ident(code[i - 1]);
        let Some((word, end)) = starts_word.then(|| ident_at(&code, i)).flatten() else {
            i += 1;
            continue;
        };
        if word.len() != end - i {
            i += 1;
            continue;
        }
        if word == "mod" {
            if let Some((_, name_end)) = ident_at(&code, end) {
                let mut at = name_end;
                while code.get(at).is_some_and(|c| c.is_whitespace()) {
                    at += 1;
                }
                if code.get(at) == Some(&'{') {
                    inline_modules.push(depth + 1);
                }
            }
        }
        // `crate::x` (or `$crate::x` in a macro), or `super::super::x`
        // climbing to the crate root.
        let levels = file_module.len() + inline_modules.len();
        let mut after = None;
        if word == "crate" {
            after = path_separator(&code, end);
        } else if word == "super" {
            let mut supers = 1;
            let mut at = path_separator(&code, end);
            while let Some(next) = at {
                match ident_at(&code, next) {
                    Some((w, e)) if w == "super" => {
                        supers += 1;
                        at = path_separator(&code, e);
                    }
                    _ => break,
                }
            }
            if supers >= levels {
                after = at;
            }
        }
        if let Some(after) = after {
            let mut brace = after;
            while code.get(brace).is_some_and(|c| c.is_whitespace()) {
                brace += 1;
            }
            if code.get(brace) == Some(&'{') {
                for head in group_heads(&code, brace) {
                    reached.push((head, line_of(i)));
                }
            } else if code.get(brace) == Some(&'*') {
                // A glob from the crate root reaches every module.
                reached.push(("*".to_owned(), line_of(i)));
            } else if let Some((head, _)) = ident_at(&code, after) {
                reached.push((head, line_of(i)));
            }
        }
        i = end;
    }
    reached
}

fn violations_in(relative: &Path, source: &str) -> Vec<Violation> {
    let module = module_path(relative);
    let Some(from) = module.first() else {
        return Vec::new(); // lib.rs
    };
    reached_modules(&module, source)
        .into_iter()
        .filter(|(to, _)| to != "self" && to != "super")
        .filter(|(to, _)| allowed(from, to) != Some(true))
        .map(|(to, line)| Violation {
            file: relative.display().to_string(),
            line,
            from: from.clone(),
            to,
        })
        .collect()
}

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn dependencies_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut unknown_modules = BTreeMap::new();
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let module = module_path(relative);
        if let Some(from) = module.first() {
            if allowed(from, from).is_none() {
                unknown_modules.insert(from.clone(), relative.display().to_string());
            }
        }
        let source = std::fs::read_to_string(file).expect("a readable source file");
        violations.extend(violations_in(relative, &source));
    }
    assert!(
        unknown_modules.is_empty(),
        "modules with no rule in ALLOWED (add one): {unknown_modules:?}"
    );
    let report: Vec<String> = violations
        .iter()
        .map(|v| format!("{}:{}: {} may not use {}", v.file, v.line, v.from, v.to))
        .collect();
    assert!(
        report.is_empty(),
        "dependencies against the direction:\n{}",
        report.join("\n")
    );
}

#[test]
fn a_forbidden_use_or_inline_path_is_found() {
    let store_file = Path::new("store/visits.rs");
    let found = |source: &str| {
        violations_in(store_file, source)
            .into_iter()
            .map(|v| (v.to, v.line))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found("use crate::serverfns::today::TodayVisit;"),
        [("serverfns".to_owned(), 1)]
    );
    assert_eq!(
        found("use crate::{domain::ids::RecordId, auth::sha256_hex};"),
        [("auth".to_owned(), 1)]
    );
    assert_eq!(
        found("fn f() {\n    let id = crate::sync::new_id();\n}"),
        [("sync".to_owned(), 2)]
    );
    assert_eq!(
        found("use super::super::pages::Page;"),
        [("pages".to_owned(), 1)]
    );
    assert_eq!(found("use crate::*;"), [("*".to_owned(), 1)]);
    assert_eq!(
        found("macro_rules! m { () => { $crate::serverfns::x() } }"),
        [("serverfns".to_owned(), 1)]
    );
    assert_eq!(
        found("const B: &[u8] = br\"x\"; use crate::pages::P;"),
        [("pages".to_owned(), 1)]
    );
    // Out of an inline module, `super` climbs one level more.
    assert!(found("mod tests {\n    use super::super::Store;\n}").is_empty());
    assert_eq!(
        found("mod tests {\n    use super::super::super::auth::x;\n}"),
        [("auth".to_owned(), 2)]
    );
    // Allowed edges, and paths only in comments or text, are not.
    assert!(
        found("use crate::domain::ids::RecordId;\nuse crate::api::today::TodayVisit;").is_empty()
    );
    assert!(found("// crate::serverfns::x\nlet s = \"crate::pages\"; let c = '\"';").is_empty());
    assert!(found("use super::StoreError;").is_empty());
}

#[test]
fn the_domain_reaches_nothing_outside_itself() {
    let found = violations_in(
        Path::new("domain/visit.rs"),
        "use crate::api::error::AppError;\nuse super::time::Timestamp;",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to, "api");
}
