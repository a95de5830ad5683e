use std::time::Instant;
fn main() {
    let png = std::fs::read("/tmp/pub-vi/share/localities/long-my.png").unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let rgb = &buf[..info.buffer_size()];
    let mut colours = std::collections::HashSet::new();
    for p in rgb.chunks_exact(3) {
        colours.insert((p[0], p[1], p[2]));
    }
    println!("unique colours {}", colours.len());
    let t = Instant::now();
    let mut counts: std::collections::HashMap<[u8; 3], u32> = std::collections::HashMap::new();
    for p in rgb.chunks_exact(3) {
        *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
    }
    let mut by: Vec<([u8; 3], u32)> = counts.into_iter().collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = by.iter().take(256).map(|x| x.0).collect();
    let mut index: std::collections::HashMap<[u8; 3], u8> =
        palette.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
    let mut idx = Vec::with_capacity(1200 * 630);
    for p in rgb.chunks_exact(3) {
        let c = [p[0], p[1], p[2]];
        let i = match index.get(&c) {
            Some(&i) => i,
            None => {
                let best = palette
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, q)| (0..3).map(|k| (q[k] as i32 - c[k] as i32).pow(2)).sum::<i32>())
                    .unwrap()
                    .0 as u8;
                index.insert(c, best);
                best
            }
        };
        idx.push(i);
    }
    let quant = t.elapsed().as_secs_f64() * 1000.0;
    for (name, c) in [("fast", png::Compression::Fast), ("balanced", png::Compression::Balanced)] {
        for (fname, f) in [("none", png::Filter::NoFilter), ("sub", png::Filter::Sub)] {
            let t = Instant::now();
            let mut out = Vec::new();
            let mut e = png::Encoder::new(&mut out, 1200, 630);
            e.set_color(png::ColorType::Indexed);
            e.set_depth(png::BitDepth::Eight);
            e.set_palette(palette.iter().flatten().copied().collect::<Vec<u8>>());
            e.set_compression(c);
            e.set_filter(f);
            let mut w = e.write_header().unwrap();
            w.write_image_data(&idx).unwrap();
            w.finish().unwrap();
            println!(
                "indexed {name} {fname}: {} bytes, quantize {quant:.2} ms + encode {:.2} ms",
                out.len(),
                t.elapsed().as_secs_f64() * 1000.0
            );
            if name == "balanced" && fname == "none" {
                std::fs::write("/tmp/indexed.png", &out).unwrap();
            }
        }
    }
    for (name, c) in
        [("fast", png::Compression::Fast), ("balanced", png::Compression::Balanced), ("high", png::Compression::High)]
    {
        for (fname, f) in [
            ("sub", png::Filter::Sub),
            ("up", png::Filter::Up),
            ("paeth", png::Filter::Paeth),
            ("none", png::Filter::NoFilter),
            ("adaptive", png::Filter::Adaptive),
        ] {
            let t = Instant::now();
            let mut out = Vec::new();
            for _ in 0..5 {
                out.clear();
                let mut e = png::Encoder::new(&mut out, 1200, 630);
                e.set_color(png::ColorType::Rgb);
                e.set_depth(png::BitDepth::Eight);
                e.set_compression(c);
                e.set_filter(f);
                let mut w = e.write_header().unwrap();
                w.write_image_data(rgb).unwrap();
                w.finish().unwrap();
            }
            println!("{name:9} {fname:9} {:7} bytes {:6.2} ms", out.len(), t.elapsed().as_secs_f64() * 1000.0 / 5.0);
        }
    }
}

#[allow(dead_code)]
fn unused() {}
