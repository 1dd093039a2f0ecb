//! CODEOWNERS as GitHub reads it: gitignore-style patterns, the last matching line wins.

use gatehouse_model::owners::CodeOwnersErrorKind;
use gatehouse_model::pattern::{PathPattern, PatternError};
use gatehouse_model::{CodeOwners, Finding, Location, Severity};

/// Adapted from the example in GitHub's CODEOWNERS documentation.
const GITHUB_EXAMPLE: &str = r"
# Lines starting with '#' are comments.

# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes precedence.
*.js    @js-owner #This is an inline comment.
*.go docs@example.com

# Teams can be specified as code owners as well.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs directory at the root.
/build/logs/ @doctocat

# The `docs/*` pattern matches docs/getting-started.md but not docs/build-app/troubleshooting.md.
docs/*  docs@example.com

# Owns any file in an apps directory anywhere in your repository.
apps/ @octocat

# Owns any file in the `/docs` directory in the root of your repository and any of its subdirectories.
/docs/ @doctocat

# Owns any file in the /scripts directory and its subdirectories.
/scripts/ @doctocat @octocat

# Owns any file in a logs directory anywhere, including /build/logs, /scripts/logs, /deeply/nested/logs.
**/logs @octocat

# A pattern with no owners: /apps/github stays unowned even though apps/ has an owner.
/apps/ @octocat
/apps/github
";

fn owners(codeowners: &CodeOwners, path: &str) -> Vec<String> {
    codeowners.owners_for(path).to_vec()
}

#[test]
fn githubs_documented_example() {
    let codeowners = CodeOwners::parse(GITHUB_EXAMPLE).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("README.md", &["@global-owner1", "@global-owner2"]),
        ("src/app.js", &["@js-owner"]),
        ("cmd/main.go", &["docs@example.com"]),
        ("notes/todo.txt", &["@octo-org/octocats"]),
        ("build/logs/out.log", &["@octocat"]), // **/logs comes later than /build/logs/
        ("docs/getting-started.md", &["@doctocat"]), // /docs/ comes later than docs/*
        ("docs/build-app/troubleshooting.md", &["@doctocat"]),
        ("web/apps/index.html", &["@octocat"]),
        ("scripts/deploy.sh", &["@doctocat", "@octocat"]),
        ("deeply/nested/logs/today.log", &["@octocat"]),
        ("apps/github/main.rb", &[]),
        ("apps/other/main.rb", &["@octocat"]),
    ];
    for (path, expected) in cases {
        assert_eq!(owners(&codeowners, path), *expected, "{path}");
    }
}

#[test]
fn the_last_matching_rule_wins_and_names_its_line() {
    let codeowners =
        CodeOwners::parse("* @everyone\n\n*.tf @infra\ninfra/legacy/ @legacy\n").unwrap();
    assert_eq!(codeowners.rule_for("infra/legacy/main.tf").unwrap().line, 4);
    assert_eq!(codeowners.rule_for("infra/main.tf").unwrap().line, 3);
    assert_eq!(codeowners.rule_for("README.md").unwrap().line, 1);
    assert!(
        CodeOwners::parse("# only comments\n")
            .unwrap()
            .owners_for("x")
            .is_empty()
    );
}

#[test]
fn pattern_semantics() {
    let cases: &[(&str, &str, bool)] = &[
        // unanchored: any depth
        ("*.tf", "main.tf", true),
        ("*.tf", "infra/modules/s3/main.tf", true),
        ("Dockerfile", "services/api/Dockerfile", true),
        // anchored by a leading or middle slash
        ("/Dockerfile", "services/api/Dockerfile", false),
        ("/Dockerfile", "Dockerfile", true),
        ("infra/modules", "infra/modules/s3/main.tf", true),
        ("infra/modules", "x/infra/modules/main.tf", false),
        // trailing slash: directories only
        ("logs/", "logs", false),
        ("logs/", "a/logs/x.log", true),
        // `*` stays within a segment, `**` crosses them
        ("/src/*.rs", "src/lib.rs", true),
        ("/src/*.rs", "src/report/mod.rs", false),
        ("/src/**/*.rs", "src/report/mod.rs", true),
        ("/src/**/*.rs", "src/lib.rs", true),
        ("src/**", "src/a/b/c", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/b", "a/b", true),
        // `?` is one character, never `/`
        ("file?.txt", "file1.txt", true),
        ("file?.txt", "file10.txt", false),
        // escapes
        (r"my\ file.txt", "docs/my file.txt", true),
        (r"\#notes", "#notes", true),
        // paths are taken relative, with or without `./`
        ("/infra/", "./infra/main.tf", true),
    ];
    for (pattern, path, expected) in cases {
        let compiled = PathPattern::new(pattern).unwrap();
        assert_eq!(compiled.matches(path), *expected, "{pattern} vs {path}");
    }
}

#[test]
fn errors_name_the_line_and_say_what_to_write() {
    let error = CodeOwners::parse("* @ok\n\n/docs/ not-an-owner\n").unwrap_err();
    assert_eq!(error.line, 3);
    assert_eq!(
        error.to_string(),
        "CODEOWNERS line 3: `not-an-owner` is not an owner: write `@user`, `@org/team` or an e-mail address"
    );

    let error = CodeOwners::parse("* @ok\n!vendor/ @nobody\n").unwrap_err();
    assert_eq!(error.line, 2);
    assert!(matches!(
        error.kind,
        CodeOwnersErrorKind::Pattern(PatternError::Negation(_))
    ));

    let error = CodeOwners::parse("*.[ch] @c-team\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "CODEOWNERS line 1: `*.[ch]`: character ranges with `[ ]` are not supported; use `*` or `?`, or escape with `\\[`"
    );
}

#[test]
fn assign_sets_owners_on_findings_with_a_path_and_none_yet() {
    let codeowners = CodeOwners::parse("* @everyone\n/infra/ @acme/infra\n").unwrap();
    let mut findings = vec![
        Finding::new("R1", Severity::High, "m").with_location(Location::file("infra/main.tf")),
        Finding::new("R2", Severity::High, "m")
            .with_location(Location::resource("aws_s3_bucket.x")),
        Finding::new("R3", Severity::High, "m")
            .with_location(Location::file("infra/x.tf"))
            .with_owner("@already-set"),
    ];
    codeowners.assign(&mut findings);
    assert_eq!(findings[0].owners, ["@acme/infra"]);
    assert!(findings[1].owners.is_empty());
    assert_eq!(findings[2].owners, ["@already-set"]);
}
