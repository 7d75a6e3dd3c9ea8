"""Charts drawn on the server: valid SVG with a title, bars and lines in proportion, texts escaped."""

from xml.etree import ElementTree

from classcontact.charts import Series, bar_chart, column_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    svg = markup[: markup.index("</svg>") + len("</svg>")]
    return ElementTree.fromstring(svg)  # noqa: S314 - the markup the portal itself drew


def test_stacked_columns_are_in_proportion_and_named():
    root = parse(
        column_chart("Pupils <connected>", ["Jan", "Feb"], [Series("A", [2, 0]), Series("B", [2, 4])])
    )

    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == "Pupils <connected>" and root.get("aria-labelledby") == title.get("id")
    heights = [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]
    assert len(heights) == 3  # a zero draws nothing
    assert heights[0] == heights[1] and abs(heights[2] - 2 * heights[0]) < 0.2
    assert all(rect.get("class").startswith("chart-s") for rect in root.iter(f"{SVG}rect"))


def test_side_by_side_columns_share_the_group():
    root = parse(column_chart("t", ["Jan"], [Series("A", [1]), Series("B", [3])], stacked=False))
    first, second = root.iter(f"{SVG}rect")
    assert float(second.get("x")) > float(first.get("x"))
    assert float(first.get("y")) > float(second.get("y"))  # the taller bar starts higher


def test_bars_write_their_values_and_escape_labels():
    markup = bar_chart("Use", ["<b>Kit</b>", "Other"], [50.0, 12.5], unit=" %")
    root = parse(markup)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "<b>Kit</b>" in texts and "50 %" in texts and "12.5 %" in texts
    assert "<b>" not in markup.replace("&lt;b&gt;", "")
    assert "style=" not in markup


def test_a_missing_value_breaks_the_line():
    root = parse(line_chart("Share", ["J", "F", "M", "A"], [Series("x", [10, None, 30, 40])], top=100))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2  # J alone draws no line
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_empty_charts_still_draw():
    assert "<svg" in column_chart("t", [], []) and "<svg" in bar_chart("t", [], [])
