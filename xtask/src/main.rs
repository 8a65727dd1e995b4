//! Developer tasks: `cargo xtask <task>`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("refresh-spec") => {
            eprintln!("refresh-spec: not implemented yet");
            std::process::exit(2);
        }
        _ => {
            eprintln!(
                "usage: cargo xtask refresh-spec [--from <URL or FILE>] [--check] [--out <FILE>]"
            );
            std::process::exit(2);
        }
    }
}
