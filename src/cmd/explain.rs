pub fn run(_data: &std::path::Path, _entry: &str) -> u8 { 0 }
