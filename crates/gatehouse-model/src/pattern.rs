//! Path patterns (gitignore/CODEOWNERS style) and id globs, shared by CODEOWNERS and waivers.
//!
//! Path patterns follow GitHub's CODEOWNERS reading of gitignore:
//!
//! - `*` matches within one path segment, `?` one character other than `/`;
//! - `**` as a whole segment matches any number of segments (`**/logs`, `a/**/b`, `docs/**`);
//! - a leading `/`, or a `/` in the middle, anchors the pattern at the root; otherwise it
//!   matches at any depth (`*.js`, `apps/`);
//! - a trailing `/` matches directories only, i.e. everything below them;
//! - a pattern naming a directory owns everything below it (`/apps/github`), except that a
//!   final `*` segment matches direct children only (`docs/*` covers `docs/a.md`, not
//!   `docs/x/b.md`), as GitHub documents;
//! - `\` escapes the next character (`\ ` for a space, `\#` for a hash);
//! - `!` negation and `[ ]` ranges are rejected: GitHub does not support them in CODEOWNERS.

use std::fmt;

/// A pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("empty pattern")]
    Empty,
    #[error("`{0}`: negation with `!` is not supported (GitHub ignores it in CODEOWNERS too)")]
    Negation(String),
    #[error(
        "`{0}`: character ranges with `[ ]` are not supported; use `*` or `?`, or escape with `\\[`"
    )]
    CharacterRange(String),
}

/// A compiled gitignore/CODEOWNERS-style path pattern (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    original: String,
    /// Segments, each a list of tokens; a leading `**` segment makes it unanchored.
    segments: Vec<Segment>,
    dir_only: bool,
    /// The last segment is a lone `*`: direct children only.
    children_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    AnyDepth,
    Glob(Vec<Token>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    AnyChar,
    AnyRun,
}

impl PathPattern {
    /// Compiles a pattern.
    pub fn new(pattern: &str) -> Result<Self, PatternError> {
        let original = pattern.to_owned();
        if pattern.is_empty() {
            return Err(PatternError::Empty);
        }
        if pattern.starts_with('!') {
            return Err(PatternError::Negation(original));
        }
        let tokens =
            tokenize(pattern).ok_or_else(|| PatternError::CharacterRange(original.clone()))?;

        // Split on unescaped `/`.
        let mut raw: Vec<Vec<Token>> = vec![Vec::new()];
        for token in tokens {
            match token {
                Token::Char('/') => raw.push(Vec::new()),
                token => {
                    if let Some(segment) = raw.last_mut() {
                        segment.push(token);
                    }
                }
            }
        }
        let leading_slash = raw.first().is_some_and(Vec::is_empty) && raw.len() > 1;
        if leading_slash {
            raw.remove(0);
        }
        let dir_only = raw.len() > 1 && raw.last().is_some_and(Vec::is_empty);
        if dir_only {
            raw.pop();
        }
        raw.retain(|segment| !segment.is_empty());
        if raw.is_empty() {
            // `/` alone: the root, i.e. everything.
            raw.push(vec![Token::AnyRun, Token::AnyRun]);
        }
        let anchored = leading_slash || raw.len() > 1;

        let mut segments: Vec<Segment> = raw
            .into_iter()
            .map(|tokens| {
                if tokens == [Token::AnyRun, Token::AnyRun] {
                    Segment::AnyDepth
                } else {
                    Segment::Glob(tokens)
                }
            })
            .collect();
        if !anchored && segments.first() != Some(&Segment::AnyDepth) {
            segments.insert(0, Segment::AnyDepth);
        }
        let children_only = segments.len() > 1
            && matches!(segments.last(), Some(Segment::Glob(tokens)) if tokens == &[Token::AnyRun]);
        Ok(Self {
            original,
            segments,
            dir_only,
            children_only,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// Whether the pattern covers the file at `path` (relative, `/`-separated; a leading `/` or
    /// `./` is ignored).
    pub fn matches(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./").trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        // Try the whole path (a file), then each proper prefix (a directory owning the rest).
        (1..=parts.len()).rev().any(|len| {
            let is_file = len == parts.len();
            if is_file && self.dir_only {
                return false;
            }
            if !is_file && self.children_only {
                return false;
            }
            parts
                .get(..len)
                .is_some_and(|prefix| match_segments(&self.segments, prefix))
        })
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

/// Whether an id glob matches: `*` matches any run of characters (including `/`), `?` any one
/// character, `\` escapes; everything else literally and case-sensitively. `CKV_AWS_*` matches
/// `CKV_AWS_20`, `js/*` matches `js/xss`.
pub fn glob_matches(glob: &str, text: &str) -> bool {
    let tokens: Vec<Token> = tokenize_loose(glob);
    let chars: Vec<char> = text.chars().collect();
    match_tokens(&tokens, &chars, true)
}

/// Tokens of a path pattern; `None` if it holds an unescaped `[`.
fn tokenize(pattern: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            '[' => return None,
            c => Token::Char(c),
        });
    }
    Some(tokens)
}

/// Tokens of an id glob (`[` is literal).
fn tokenize_loose(glob: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = glob.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            c => Token::Char(c),
        });
    }
    tokens
}

fn match_segments(segments: &[Segment], parts: &[&str]) -> bool {
    match segments.split_first() {
        None => parts.is_empty(),
        Some((Segment::AnyDepth, rest)) => {
            (0..=parts.len()).any(|skip| parts.get(skip..).is_some_and(|p| match_segments(rest, p)))
        }
        Some((Segment::Glob(tokens), rest)) => match parts.split_first() {
            Some((part, remaining)) => {
                let chars: Vec<char> = part.chars().collect();
                match_tokens(tokens, &chars, false) && match_segments(rest, remaining)
            }
            None => false,
        },
    }
}

/// Iterative wildcard match with single backtracking point (linear-ish, no recursion blow-up).
/// With `cross_slash == false`, wildcards never match `/` (segments never contain one anyway).
fn match_tokens(tokens: &[Token], text: &[char], cross_slash: bool) -> bool {
    let (mut t, mut s) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while s < text.len() {
        let c = text.get(s).copied();
        match tokens.get(t) {
            Some(Token::AnyRun) => {
                star = Some((t, s));
                t += 1;
                continue;
            }
            Some(Token::AnyChar) if cross_slash || c != Some('/') => {
                t += 1;
                s += 1;
                continue;
            }
            Some(Token::Char(expected)) if Some(*expected) == c => {
                t += 1;
                s += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((star_t, star_s)) if cross_slash || text.get(star_s) != Some(&'/') => {
                star = Some((star_t, star_s + 1));
                t = star_t + 1;
                s = star_s + 1;
            }
            _ => return false,
        }
    }
    tokens
        .get(t..)
        .is_some_and(|rest| rest.iter().all(|token| *token == Token::AnyRun))
}
