//! A small RFC 4180 CSV reader (quoted fields, `""` escapes, newlines inside quotes) that
//! reports the line of a malformed record. Enough for the CSV reports we ingest; no dependency.

use crate::IngestError;

/// One record and the line it starts on.
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Splits `text` into records. A quote that is never closed is an error at its line.
pub(crate) fn records(text: &str, hint: &str) -> Result<Vec<Record>, IngestError> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut quote_line = 0;
    // 1-based column of the current character, and of the quote that opened a field.
    let mut column = 0;
    let mut quote_column = 0;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => {
                in_quotes = true;
                quote_line = line;
                quote_column = column;
            }
            (',', false) => fields.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                push_record(&mut out, record_line, std::mem::take(&mut fields));
                line += 1;
                column = 0;
                record_line = line;
            }
            ('\n', true) => {
                field.push(c);
                line += 1;
                column = 0;
            }
            _ => field.push(c),
        }
    }
    // Like Python's csv module, a quote left open on the last line ends with the data; one that
    // swallowed later lines is almost certainly a broken file.
    if in_quotes && field.trim_end().contains('\n') {
        return Err(IngestError::Syntax {
            line: quote_line,
            column: quote_column,
            message: "quoted field is never closed".to_owned(),
            hint: Some(hint.to_owned()),
        });
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        push_record(&mut out, record_line, fields);
    }
    Ok(out)
}

fn push_record(out: &mut Vec<Record>, line: usize, fields: Vec<String>) {
    // Blank lines are skipped, as Python's csv module does.
    if fields.len() == 1 && fields.first().is_some_and(String::is_empty) {
        return;
    }
    out.push(Record { line, fields });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escapes_and_newlines() {
        let rows = records("a,b\n\"x, \"\"y\"\"\",\"multi\nline\"\n\n1,2", "").unwrap_or_default();
        let fields: Vec<Vec<String>> = rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            fields,
            vec![
                vec!["a".to_owned(), "b".to_owned()],
                vec!["x, \"y\"".to_owned(), "multi\nline".to_owned()],
                vec!["1".to_owned(), "2".to_owned()],
            ]
        );
        assert_eq!(rows.get(2).map(|r| r.line), Some(5));
    }

    #[test]
    fn quote_open_at_the_end_of_the_last_line_is_accepted() {
        let rows = records("a\n\"x\"\"", "").unwrap_or_default();
        assert_eq!(
            rows.get(1).map(|r| r.fields.clone()),
            Some(vec!["x\"".to_owned()])
        );
    }

    /// Columns are 1-based (`fuzz_ingest` found column 0 here): the opening quote's.
    #[test]
    fn unclosed_quote_names_the_line() {
        let error = records("a\n\"oops\nb", "is this a CSV report?")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("line 2, column 1: quoted field is never closed — is this a CSV report?")
        );
        let error = records("a,b\nc,\"x\ny\nz", "hint").err();
        assert!(
            matches!(
                error,
                Some(IngestError::Syntax {
                    line: 2,
                    column: 3,
                    ..
                })
            ),
            "{error:?}"
        );
    }
}
