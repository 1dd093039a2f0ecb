// THROWAWAY (not committed): prints our verdict for /tmp/vec/in.txt lines "ECO\tA\tB".
#[test]
fn dump() {
    let Ok(text) = std::fs::read_to_string("/tmp/vec/in.txt") else {
        return;
    };
    let mut out = String::new();
    for line in text.lines() {
        let p: Vec<&str> = line.split('\t').collect();
        if p.len() != 3 {
            continue;
        }
        let o = gatehouse_vuln::Ecosystem::parse(p[0])
            .scheme()
            .compare(p[1], p[2])
            .unwrap();
        let s = match o {
            std::cmp::Ordering::Less => "<",
            std::cmp::Ordering::Equal => "=",
            _ => ">",
        };
        out.push_str(&format!("{}\t{}\t{}\t{}\n", p[0], p[1], p[2], s));
    }
    std::fs::write("/tmp/vec/ours.txt", out).unwrap();
}
