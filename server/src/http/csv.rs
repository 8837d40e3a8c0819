//! CSV for the downloads (the dashboard's tables, the audit log): the `csv`
//! crate quotes fields and ends lines (CRLF, as RFC 4180 has it); the one
//! rule added here is the formula guard, so a cell a spreadsheet would run
//! as a formula is shown as text.

use std::borrow::Cow;

/// A text that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return) gets a leading apostrophe; a number such as `-5` stays as it is.
pub fn formula_guarded(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if value.parse::<f64>().is_err() => {
            Cow::Owned(format!("'{value}"))
        }
        _ => Cow::Borrowed(value),
    }
}

/// The rows as CSV text. With `byte_order_mark`, the text starts with one,
/// so spreadsheet programs read the Chinese correctly.
pub fn csv_text<R, F>(rows: R, byte_order_mark: bool) -> Result<String, csv::Error>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let mut out = Vec::new();
    if byte_order_mark {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    for row in rows {
        let fields: Vec<String> = row
            .into_iter()
            .map(|field| formula_guarded(field.as_ref()).into_owned())
            .collect();
        writer.write_record(&fields)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_field(value: &str) -> String {
        let text = csv_text([[value]], false).unwrap();
        text.strip_suffix("\r\n").unwrap().to_owned()
    }

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(one_field("王秀英"), "王秀英");
        assert_eq!(one_field("1,234"), "\"1,234\"");
        assert_eq!(one_field("说 \"很好\""), "\"说 \"\"很好\"\"\"");
        assert_eq!(one_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(one_field("-5"), "-5");
        assert_eq!(one_field("@cmd"), "'@cmd");
        assert_eq!(one_field("两行\n文字"), "\"两行\n文字\"");
    }

    #[test]
    fn rows_end_in_crlf_after_an_optional_byte_order_mark() {
        let text = csv_text([vec!["a", "b"], vec!["c", ""]], true).unwrap();
        assert_eq!(text, "\u{feff}a,b\r\nc,\r\n");
    }
}
