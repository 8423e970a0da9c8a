// SPDX-License-Identifier: MIT
//! Links libmembw.so. MEMBW_LIB_DIR names a directory to search first (a build tree's build/);
//! without it the system's library path is used (an installed libmembw). The `agent` feature
//! links libmembw-agent.so too.
use std::env;

fn main() {
    println!("cargo:rerun-if-env-changed=MEMBW_LIB_DIR");
    if let Ok(dir) = env::var("MEMBW_LIB_DIR") {
        println!("cargo:rustc-link-search=native={}", dir);
    }
    println!("cargo:rustc-link-lib=dylib=membw");
    if env::var_os("CARGO_FEATURE_AGENT").is_some() {
        println!("cargo:rustc-link-lib=dylib=membw-agent");
    }
}
