//! Directory walking: `.gitignore`, `.git/info/exclude` and `.ignore` exclusions are honoured
//! (also outside a git checkout, and from parent directories); `respect_ignore_files: false`
//! (`--no-ignore`) scans everything; `.git` and `node_modules` are never entered; the progress
//! callback sees every entry.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gatehouse_sbom::source::Progress;
use gatehouse_sbom::{ScanOptions, scan_path};

fn cargo_lock(dir: &Path, name: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("Cargo.lock"),
        format!("version = 3\n\n[[package]]\nname = \"{name}\"\nversion = \"1.0.0\"\n"),
    )
    .unwrap();
}

fn names(root: &Path, opts: &ScanOptions) -> Vec<String> {
    scan_path(root, opts)
        .unwrap()
        .components
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn ignore_files_are_honoured_unless_switched_off() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    cargo_lock(&root, "kept");
    cargo_lock(&root.join("vendor/dep"), "by-gitignore");
    cargo_lock(&root.join("build"), "by-dot-ignore");
    cargo_lock(&root.join("sub/scratch"), "by-nested-gitignore");
    cargo_lock(&root.join("excluded"), "by-git-exclude");
    cargo_lock(&root.join(".git/objects"), "inside-dot-git");
    cargo_lock(&root.join("node_modules/x"), "inside-node-modules");
    std::fs::write(root.join(".gitignore"), "vendor/\n").unwrap();
    std::fs::write(root.join(".ignore"), "/build\n").unwrap();
    std::fs::write(root.join("sub/.gitignore"), "scratch/\n").unwrap();
    std::fs::create_dir_all(root.join(".git/info")).unwrap();
    std::fs::write(root.join(".git/info/exclude"), "/excluded\n").unwrap();

    assert_eq!(names(&root, &ScanOptions::default()), ["kept"]);

    let all = ScanOptions {
        respect_ignore_files: false,
        ..ScanOptions::default()
    };
    assert_eq!(
        names(&root, &all),
        [
            "by-dot-ignore",
            "by-git-exclude",
            "by-gitignore",
            "by-nested-gitignore",
            "kept"
        ]
    );

    // A .gitignore above the scanned directory applies too.
    std::fs::write(tmp.path().join(".gitignore"), "project/sub/\n").unwrap();
    let sub_names = names(&root.join("sub"), &ScanOptions::default());
    assert!(sub_names.is_empty(), "{sub_names:?}");
}

#[test]
fn progress_sees_every_entry() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..1200 {
        std::fs::write(tmp.path().join(format!("f{i}.txt")), "x").unwrap();
    }
    cargo_lock(tmp.path(), "one");
    let calls = Arc::new(AtomicU64::new(0));
    let last = Arc::new(AtomicU64::new(0));
    let (c, l) = (calls.clone(), last.clone());
    let opts = ScanOptions {
        progress: Progress::new(move |visited, _kept| {
            c.fetch_add(1, Ordering::SeqCst);
            l.store(visited, Ordering::SeqCst);
        }),
        ..ScanOptions::default()
    };
    assert_eq!(names(tmp.path(), &opts), ["one"]);
    // The root, 1200 text files and the lockfile; one call at 1000 and one at the end.
    assert_eq!(last.load(Ordering::SeqCst), 1202);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
