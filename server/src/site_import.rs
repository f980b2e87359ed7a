//! Reading a CSV of sites for the office's register: UTF-8 with or without a byte-order
//! mark, the first line naming the columns (English or Chinese), every line checked before
//! anything is written, each problem reported by its line number.

use safewalk_core::site::Uscc;

use crate::store::sites::SiteFacts;

/// One line that cannot be imported, and why (in both languages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based, as an editor shows it (the column names are line 1).
    pub line: u64,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Address,
    Uscc,
    District,
    Department,
    Sectors,
    Category,
    Position,
}

impl Column {
    fn named(header: &str) -> Option<Column> {
        let header = header.trim().to_lowercase();
        Some(match header.as_str() {
            "name" | "名称" | "场所名称" | "单位名称" => Column::Name,
            "address" | "地址" => Column::Address,
            "uscc" | "credit code" | "统一社会信用代码" => Column::Uscc,
            "district" | "辖区" => Column::District,
            "department" | "部门" => Column::Department,
            "sectors" | "sector" | "行业" => Column::Sectors,
            "category" | "类别" => Column::Category,
            "position" | "位置" => Column::Position,
            _ => return None,
        })
    }
}

fn problem(line: u64, reason: impl Into<String>) -> ImportProblem {
    ImportProblem { line, reason: reason.into() }
}

/// `lat,lon` in decimal degrees, in range: the position as the register keeps it.
fn position(text: &str) -> Result<String, String> {
    let parsed = text.split_once(',').and_then(|(lat, lon)| Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?)));
    match parsed {
        Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Ok(format!("{lat:.6},{lon:.6}")),
        _ => Err(format!("位置应为“纬度,经度” / position {text:?} is not \"lat,lon\" in degrees")),
    }
}

/// A scoped field of a line: empty takes the importer's scope; anything else must be it.
fn within(value: &str, scope: &str, what: &str) -> Result<String, String> {
    match (value.trim(), scope) {
        (v, "") => Ok(v.to_string()),
        ("", scope) => Ok(scope.to_string()),
        (v, scope) if v == scope => Ok(v.to_string()),
        (v, scope) => Err(format!("{what} {v:?} 不在您的范围内 / is outside your scope ({scope:?})")),
    }
}

/// The sites of `text`, or every problem found. A supervisor's scope (`department`,
/// `district`, empty for none) fills lines that leave those fields empty and refuses lines
/// that name another.
pub fn parse_sites_csv(text: &str, department: &str, district: &str) -> Result<Vec<SiteFacts>, Vec<ImportProblem>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // A browser sends a textarea with CRLF line ends, and the csv reader counts such a line
    // end once short after the header: with LF alone it names the lines as an editor does.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => return Err(vec![problem(1, format!("无法读取列名 / the column names cannot be read: {e}"))]),
    };
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for header in headers.iter() {
        match Column::named(header) {
            Some(column) => columns.push(column),
            None => problems.push(problem(1, format!("未知的列“{header}” / unknown column {header:?}"))),
        }
    }
    if !columns.contains(&Column::Name) {
        problems.push(problem(1, "缺少“名称”列 / no name column"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sites: Vec<SiteFacts> = Vec::new();
    let mut codes: Vec<(String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(problem(line, format!("无法读取 / cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() != columns.len() {
            problems.push(problem(
                line,
                format!("应有{}列，这里有{} / {} columns expected, {} found", columns.len(), record.len(), columns.len(), record.len()),
            ));
            continue;
        }
        let mut facts = SiteFacts::default();
        let mut line_problems = Vec::new();
        for (column, cell) in columns.iter().zip(record.iter()) {
            let cell = cell.trim();
            match column {
                Column::Name => facts.name = cell.to_string(),
                Column::Address => facts.address = cell.to_string(),
                Column::Uscc if cell.is_empty() => {}
                Column::Uscc => match Uscc::parse(cell) {
                    Ok(code) => {
                        if let Some((_, first)) = codes.iter().find(|(c, _)| c == code.as_str()) {
                            line_problems.push(format!("代码{code}已在第{first}行 / credit code {code} is on line {first} already"));
                        }
                        codes.push((code.to_string(), line));
                        facts.uscc = Some(code);
                    }
                    Err(e) => line_problems.push(e.to_string()),
                },
                Column::District => facts.district = cell.to_string(),
                Column::Department => facts.department = cell.to_string(),
                Column::Sectors => {
                    facts.sectors =
                        cell.split([',', ';', '，', '；', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
                }
                Column::Category => facts.category = cell.to_string(),
                Column::Position if cell.is_empty() => {}
                Column::Position => match position(cell) {
                    Ok(p) => facts.position = p,
                    Err(e) => line_problems.push(e),
                },
            }
        }
        if facts.name.is_empty() {
            line_problems.push("缺少名称 / the name is empty".into());
        }
        match within(&facts.department, department, "部门 department") {
            Ok(d) => facts.department = d,
            Err(e) => line_problems.push(e),
        }
        match within(&facts.district, district, "辖区 district") {
            Ok(d) => facts.district = d,
            Err(e) => line_problems.push(e),
        }
        problems.extend(line_problems.into_iter().map(|reason| problem(line, reason)));
        sites.push(facts);
    }
    if problems.is_empty() && sites.is_empty() {
        problems.push(problem(2, "没有场所 / no sites in the file"));
    }
    if problems.is_empty() {
        Ok(sites)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_columns_a_bom_and_scope_fill_in() {
        let text = "\u{FEFF}名称,地址,统一社会信用代码,行业\n万达广场,邯郸路600号,91350100m000100y43,\"commercial-complex、hotel\"\n华联超市,长宁路1号,,\n";
        let sites = parse_sites_csv(text, "brigade-1", "").unwrap();
        assert_eq!(sites.len(), 2);
        assert_eq!(sites[0].uscc.as_ref().map(|c| c.as_str()), Some("91350100M000100Y43"));
        assert_eq!(sites[0].sectors, ["commercial-complex", "hotel"]);
        assert_eq!((sites[1].department.as_str(), sites[1].district.as_str()), ("brigade-1", ""));
        assert_eq!(sites[1].uscc, None);
    }

    #[test]
    fn every_bad_line_is_reported_by_its_number() {
        let text = "name,uscc,district,position\n\
                    A,91350100M000100Y44,,\n\
                    ,,,\n\
                    B,91350100M000100Y43,pudong,\"31.2,121.5\"\n\
                    C,91350100M000100Y43,minhang,north\n\
                    D\n";
        let problems = parse_sites_csv(text, "", "pudong").unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 5, 5, 5, 6], "{problems:?}");
        assert!(problems[0].reason.contains("check character"), "{problems:?}");
        assert!(problems[1].reason.contains("name is empty"));
        assert!(problems[2].reason.contains("on line 4 already"));
        assert!(problems[3].reason.contains("not \"lat,lon\""));
        assert!(problems[4].reason.contains("outside your scope"));
        assert!(problems[5].reason.contains("4 columns expected, 1 found"));
        // A browser sends a form's textarea with CRLF line ends: the same lines are named.
        let crlf = parse_sites_csv(&text.replace('\n', "\r\n"), "", "pudong").unwrap_err();
        assert_eq!(crlf.iter().map(|p| p.line).collect::<Vec<_>>(), lines, "{crlf:?}");
    }

    #[test]
    fn unknown_or_missing_columns_stop_at_line_one() {
        let problems = parse_sites_csv("address,phone\nx,y\n", "", "").unwrap_err();
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), [1, 1]);
        assert!(parse_sites_csv("name\n", "", "").unwrap_err()[0].reason.contains("no sites"));
        assert_eq!(position("31.2, 121.5"), Ok("31.200000,121.500000".into()));
        assert!(position("91,0").is_err() && position("0,181").is_err());
    }
}
