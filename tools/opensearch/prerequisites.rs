//! What starting a node with `tools/opensearch/run.sh` needs, shared by the
//! integration tests (`tests/it/cluster.rs`) and the benchmark runner
//! (`benches/runner/opensearch.rs`), which include this file.

use std::net::TcpListener;
use std::process::{Command, Stdio};

/// The tool of the two a node needs (Java and Maven) that does not run
/// here, if one does not.
pub fn missing_cluster_tool() -> Option<&'static str> {
    [("java", "-version"), ("mvn", "-v")]
        .into_iter()
        .find(|(tool, flag)| {
            !Command::new(tool)
                .arg(flag)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        })
        .map(|(tool, _)| tool)
}

/// A loopback port P with P..P+n and P+100..P+100+n free (the launcher's
/// HTTP and transport ports of `n` nodes), if one is found.
pub fn free_ports(n: usize) -> Option<u16> {
    for _ in 0..200 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .ok()?
            .port();
        if port > 64_000 {
            continue;
        }
        let free = (0..n as u16).all(|i| {
            TcpListener::bind(("127.0.0.1", port + i)).is_ok()
                && TcpListener::bind(("127.0.0.1", port + 100 + i)).is_ok()
        });
        if free {
            return Some(port);
        }
    }
    None
}
