//! Per-instruction argument splitting of the Dockerfile loader, after buildkit's
//! `line_parsers.go` and `split_command.go`: builder flags (`--from=...`), JSON (exec) form,
//! `KEY=value` pairs, whitespace lists; plus the checks Conftest gets from
//! `instructions.ParseInstruction` (unknown instruction, missing arguments).

/// One parsed instruction (a node of buildkit's AST, flattened).
#[derive(Debug, Clone, Default)]
pub(crate) struct Instruction {
    /// Lower-case command (`from`, `run`, ...).
    pub cmd: String,
    /// Builder flags; `None` when the instruction has no arguments at all (Go's nil slice).
    pub flags: Option<Vec<String>>,
    pub values: Vec<String>,
    /// Written in JSON (exec) form.
    pub json: bool,
    /// `ONBUILD`'s trigger instruction.
    pub sub: Option<Box<Instruction>>,
    /// The arguments as written (for heredoc detection).
    args: String,
}

/// A heredoc opened by an instruction (`<<EOF`, `<<-EOF`, `<<"EOF"`).
#[derive(Debug, Clone)]
pub(crate) struct Heredoc {
    pub name: String,
    pub chomp: bool,
}

impl Instruction {
    /// Heredocs opened on this line, if the instruction may carry them (RUN, COPY, ADD,
    /// possibly under ONBUILD; not in JSON form).
    pub(crate) fn heredocs(&self) -> Vec<Heredoc> {
        let target = self.sub.as_deref().unwrap_or(self);
        if !matches!(target.cmd.as_str(), "run" | "copy" | "add") || target.json {
            return Vec::new();
        }
        shell_words(&target.args)
            .iter()
            .filter_map(|w| heredoc_word(w))
            .collect()
    }
}

/// `^(\d*)<<(-?)([^<]*)$`, with the (unquoted) name being a single word.
fn heredoc_word(word: &str) -> Option<Heredoc> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name: String = rest.chars().filter(|c| *c != '"' && *c != '\'').collect();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    Some(Heredoc { name, chomp })
}

/// Splits on whitespace outside quotes, keeping the quotes (buildkit's RawQuotes lexing).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                word.push(c);
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
            }
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                word.push(c);
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn is_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// buildkit `splitCommand` + dispatch + `ParseInstruction` checks.
pub(crate) fn parse_instruction(line: &str, escape: char) -> Result<Instruction, String> {
    let line = line.trim();
    let (word, rest) = match line.find(is_ws) {
        Some(i) => (
            line.get(..i).unwrap_or(""),
            Some(line.get(i..).unwrap_or("").trim_start_matches(is_ws)),
        ),
        None => (line, None),
    };
    let cmd = word.to_ascii_lowercase();
    let (args, flags) = match rest {
        Some(rest) => {
            let (args, flags) = extract_builder_flags(rest);
            (args.trim().to_string(), Some(flags))
        }
        None => (String::new(), None),
    };
    let mut ins = Instruction {
        cmd: cmd.clone(),
        flags,
        args: args.clone(),
        ..Instruction::default()
    };
    let upper = cmd.to_ascii_uppercase();
    match cmd.as_str() {
        "add" | "copy" | "volume" => maybe_json_to_list(&mut ins, &args)?,
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(&mut ins, &args)?,
        "env" | "label" => ins.values = name_val(&args, &upper, escape)?,
        "arg" => ins.values = parse_words(&args, escape),
        "expose" | "from" => ins.values = whitespace_list(&args),
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !args.is_empty() {
                ins.values = vec![args.clone()];
            }
        }
        "healthcheck" => health(&mut ins, &args)?,
        "onbuild" => {
            if !args.is_empty() {
                let sub = parse_instruction(&args, escape)?;
                if matches!(sub.cmd.as_str(), "onbuild" | "from" | "maintainer") {
                    return Err(format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        sub.cmd.to_ascii_uppercase()
                    ));
                }
                ins.sub = Some(Box::new(sub));
            }
        }
        _ => return Err(format!("unknown instruction: {word}")),
    }
    validate(&ins, &upper)?;
    Ok(ins)
}

fn validate(ins: &Instruction, upper: &str) -> Result<(), String> {
    let n = ins.values.len();
    match ins.cmd.as_str() {
        "from"
            if !(n == 1
                || (n == 3
                    && ins
                        .values
                        .get(1)
                        .is_some_and(|w| w.eq_ignore_ascii_case("as")))) =>
        {
            Err("FROM requires either one or three arguments".to_string())
        }
        "copy" | "add" if n < 2 && !ins.json => Err(format!(
            "{upper} requires at least two arguments, but only {} provided. Destination could not be determined",
            if n == 0 { "none was" } else { "one was" }
        )),
        "shell" if !ins.json => Err("SHELL requires the arguments to be in JSON form".to_string()),
        "env" | "label" | "arg" | "run" | "user" | "workdir" | "stopsignal" | "maintainer"
        | "expose" | "volume" | "healthcheck" | "onbuild" | "shell"
            if n == 0 && ins.sub.is_none() && !ins.json =>
        {
            Err(format!("{upper} requires at least one argument"))
        }
        _ => Ok(()),
    }
}

/// buildkit `extractBuilderFlags`: leading `--flag[=value]` words (quotes and `\` processed).
fn extract_builder_flags(line: &str) -> (String, Vec<String>) {
    let mut words = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        if !trimmed.starts_with("--") {
            return (trimmed.to_string(), words);
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        let mut end = trimmed.len();
        let mut chars = trimmed.char_indices();
        while let Some((i, c)) = chars.next() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) if c == '\\' => {
                    if let Some((_, n)) = chars.next() {
                        word.push(n);
                    }
                }
                Some(_) => word.push(c),
                None if c.is_whitespace() => {
                    end = i;
                    break;
                }
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    blank_ok = true;
                }
                None if c == '\\' => {
                    if let Some((_, n)) = chars.next() {
                        word.push(n);
                    }
                }
                None => word.push(c),
            }
        }
        rest = trimmed.get(end..).unwrap_or("");
        if word == "--" {
            return (rest.to_string(), words);
        }
        if blank_ok || !word.is_empty() {
            words.push(word);
        }
    }
}

/// buildkit `parseJSON`: `Ok(None)` when not a JSON array, `Err` for non-string elements.
fn parse_json(rest: &str) -> Result<Option<Vec<String>>, String> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(rest) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(
                "when using JSON array syntax, arrays must be comprised of strings only"
                    .to_string(),
            ),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn maybe_json(ins: &mut Instruction, args: &str) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    match parse_json(args)? {
        Some(values) => {
            ins.values = values;
            ins.json = true;
        }
        None => ins.values = vec![args.to_string()],
    }
    Ok(())
}

fn maybe_json_to_list(ins: &mut Instruction, args: &str) -> Result<(), String> {
    match parse_json(args)? {
        Some(values) => {
            ins.values = values;
            ins.json = true;
        }
        None => ins.values = whitespace_list(args),
    }
    Ok(())
}

fn whitespace_list(args: &str) -> Vec<String> {
    if args.is_empty() {
        return Vec::new();
    }
    args.split(is_ws)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn health(ins: &mut Instruction, args: &str) -> Result<(), String> {
    let Some(typ) = args
        .split(char::is_whitespace)
        .next()
        .filter(|t| !t.is_empty())
    else {
        return Ok(());
    };
    let rest = args.get(typ.len()..).unwrap_or("").trim_start();
    let mut sub = Instruction::default();
    maybe_json(&mut sub, rest)?;
    ins.values = std::iter::once(typ.to_string()).chain(sub.values).collect();
    ins.json = sub.json;
    Ok(())
}

/// buildkit `parseNameVal` for ENV and LABEL: `[key, value, "="]` triples (new form) or
/// `[key, value, ""]` (old `KEY value` form).
fn name_val(rest: &str, key: &str, escape: char) -> Result<Vec<String>, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let mut parts = rest.splitn(2, is_ws);
        let name = parts.next().unwrap_or("");
        let value = parts.next().map(|v| v.trim_start_matches(is_ws));
        return match value {
            Some(value) => Ok(vec![name.to_string(), value.to_string(), String::new()]),
            None => Err(format!("{key} must have two arguments")),
        };
    }
    let mut out = Vec::new();
    for word in &words {
        let Some((k, v)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {word:?}. Must be of the form: name=value"
            ));
        };
        out.extend([k.to_string(), v.to_string(), "=".to_string()]);
    }
    Ok(out)
}

/// buildkit `parseWords`: whitespace-separated words, quotes kept, escapes kept.
fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut quote: Option<char> = None;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            None if c.is_whitespace() => {
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    blank_ok = true;
                }
                if c == escape {
                    // An escape at the very end is dropped; otherwise both characters stay.
                    if let Some(n) = chars.next() {
                        word.push(c);
                        word.push(n);
                    }
                    continue;
                }
                word.push(c);
            }
            Some(q) => {
                if c == q {
                    quote = None;
                }
                if c == escape && q != '\'' {
                    match chars.next() {
                        Some(n) => {
                            word.push(c);
                            word.push(n);
                        }
                        None => quote = None,
                    }
                    continue;
                }
                word.push(c);
            }
        }
    }
    if blank_ok || !word.is_empty() {
        words.push(word);
    }
    words
}
