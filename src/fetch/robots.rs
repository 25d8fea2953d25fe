//! `robots.txt`: the rules of the group that names our user agent (else the
//! `*` group), matched as RFC 9309 says: the longest matching rule wins,
//! `Allow` over `Disallow` on a tie, `*` matches any run of characters and a
//! final `$` anchors the end.

/// The product token matched against `User-agent` lines.
pub const ROBOTS_AGENT: &str = "verbatim";

/// A group of a `robots.txt`: the agents it names and its `(allow, pattern)` rules.
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules that apply to us on one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RobotsRules {
    /// `(allow, pattern)`, in file order.
    rules: Vec<(bool, String)>,
}

impl RobotsRules {
    /// No rules: everything allowed (no `robots.txt`, or none for us).
    pub fn allow_all() -> RobotsRules {
        RobotsRules::default()
    }

    /// Parses a `robots.txt` for the agent [`ROBOTS_AGENT`].
    pub fn parse(text: &str) -> RobotsRules {
        // Groups: the agents they name and their rules.
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                        in_agents = true;
                    }
                    if let Some(group) = groups.last_mut() {
                        group.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(group) = groups.last_mut() {
                        // An empty `Disallow:` allows everything: no rule.
                        if !value.is_empty() {
                            group.1.push((key == "allow", value.to_owned()));
                        }
                    }
                }
                _ => in_agents = false,
            }
        }
        let ours: Vec<(bool, String)> = groups
            .iter()
            .filter(|(agents, _)| agents.iter().any(|agent| agent == ROBOTS_AGENT))
            .flat_map(|(_, rules)| rules.iter().cloned())
            .collect();
        let rules = if ours.is_empty()
            && !groups
                .iter()
                .any(|(agents, _)| agents.iter().any(|a| a == ROBOTS_AGENT))
        {
            groups
                .iter()
                .filter(|(agents, _)| agents.iter().any(|agent| agent == "*"))
                .flat_map(|(_, rules)| rules.iter().cloned())
                .collect()
        } else {
            ours
        };
        RobotsRules { rules }
    }

    /// Whether `path` (path and query of a URL) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let length = pattern.len();
                let better = match best {
                    None => true,
                    Some((best_length, best_allow)) => {
                        length > best_length || (length == best_length && *allow && !best_allow)
                    }
                };
                if better {
                    best = Some((length, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a robots pattern matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some(first) = parts.first() else {
        return true;
    };
    if !path.starts_with(first) {
        return false;
    }
    let mut position = first.len();
    let last = parts.len() - 1;
    for (index, part) in parts.iter().enumerate().skip(1) {
        if index == last && anchored {
            return path.len() >= position + part.len() && path.ends_with(part);
        }
        match path[position..].find(part) {
            Some(found) => position += found + part.len(),
            None => return false,
        }
    }
    !anchored || (last == 0 && position == path.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_matching_rule_of_our_group_decides() {
        let text = "User-agent: *\nDisallow: /\n\nUser-agent: Verbatim\nUser-agent: other\nDisallow: /private\nAllow: /private/open\nDisallow: /*.pdf$\n";
        let rules = RobotsRules::parse(text);
        let cases = [
            ("/news/1", true),
            ("/private/x", false),
            ("/private/open/x", true),
            ("/files/a.pdf", false),
            ("/files/a.pdf?x=1", true),
        ];
        for (path, expected) in cases {
            assert_eq!(rules.allows(path), expected, "{path}");
        }
    }

    #[test]
    fn without_our_group_the_star_group_applies() {
        let rules = RobotsRules::parse("User-agent: *\nDisallow: /admin\nDisallow:\n");
        assert!(!rules.allows("/admin/x"));
        assert!(rules.allows("/news"));
        assert!(RobotsRules::parse("").allows("/anything"));
        let everything = RobotsRules::parse("User-agent: *\nDisallow: /\n");
        assert!(!everything.allows("/"));
        assert!(!everything.allows("/a"));
    }
}
