"""The offline page template for `dvc plots show`: Vega inlined from the npm packages."""

from pathlib import Path

from tagbench.core.errors import TagbenchError

VEGA_SCRIPTS = ("vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
                "vega-embed/build/vega-embed.min.js")
PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>tagbench plots</title>
{inline}
<style>body {{ font-family: sans-serif; }} table {{ border-spacing: 15px; }}
img {{ max-width: 900px; }}</style>
</head>
<body>
{{plot_divs}}
</body>
</html>
"""


def offline_template(node_modules, path):
    """An HTML template for `dvc plots show` with Vega, Vega-Lite and Vega-Embed inlined from
    the npm packages (DVC's own page loads them from a CDN, so offline it renders blank)."""
    scripts = []
    for script in VEGA_SCRIPTS:
        source = Path(node_modules) / script
        if not source.exists():
            raise TagbenchError(f"{source} is missing: run `npm ci` (or `make plots`)")
        code = source.read_text(encoding="utf-8").replace("</script", "<\\/script")
        scripts.append(f"<script>\n{code}\n</script>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(PAGE.format(inline="\n".join(scripts)), encoding="utf-8")
