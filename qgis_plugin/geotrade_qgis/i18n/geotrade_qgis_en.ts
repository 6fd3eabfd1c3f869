<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>GeotradeAlgorithm</name>
    <message>
        <source>Trade interdependence map</source>
        <translation>Trade interdependence map</translation>
    </message>
    <message>
        <source>Trade summary tables</source>
        <translation>Trade summary tables</translation>
    </message>
    <message>
        <source>Province capacity ratio map</source>
        <translation>Province capacity ratio map</translation>
    </message>
    <message>
        <source>Prefecture matching map</source>
        <translation>Prefecture matching map</translation>
    </message>
    <message>
        <source>Spatial mismatch statistics</source>
        <translation>Spatial mismatch statistics</translation>
    </message>
    <message>
        <source>Classify a field (exact natural breaks)</source>
        <translation>Classify a field (exact natural breaks)</translation>
    </message>
    <message>
        <source>Negative binomial model</source>
        <translation>Negative binomial model</translation>
    </message>
    <message>
        <source>Gravity model (PPML / OLS)</source>
        <translation>Gravity model (PPML / OLS)</translation>
    </message>
    <message>
        <source>Export print layout (PDF/PNG/SVG)</source>
        <translation>Export print layout (PDF/PNG/SVG)</translation>
    </message>
    <message>
        <source>Write synthetic sample data</source>
        <translation>Write synthetic sample data</translation>
    </message>
    <message>
        <source>Run the synthetic demo</source>
        <translation>Run the synthetic demo</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>Trade</translation>
    </message>
    <message>
        <source>Battery recycling</source>
        <translation>Battery recycling</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Classification</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Cartography</source>
        <translation>Cartography</translation>
    </message>
    <message>
        <source>Synthetic data</source>
        <translation>Synthetic data</translation>
    </message>
    <message>
        <source>Focal country (ISO3)</source>
        <translation>Focal country (ISO3)</translation>
    </message>
    <message>
        <source>Years (comma-separated; empty: all)</source>
        <translation>Years (comma-separated; empty: all)</translation>
    </message>
    <message>
        <source>HS codes (comma-separated; empty: all)</source>
        <translation>HS codes (comma-separated; empty: all)</translation>
    </message>
    <message>
        <source>Mirror-data policy</source>
        <translation>Mirror-data policy</translation>
    </message>
    <message>
        <source>High-dependence threshold</source>
        <translation>High-dependence threshold</translation>
    </message>
    <message>
        <source>Low-dependence threshold</source>
        <translation>Low-dependence threshold</translation>
    </message>
    <message>
        <source>Label language</source>
        <translation>Label language</translation>
    </message>
    <message>
        <source>Interdependence table</source>
        <translation>Interdependence table</translation>
    </message>
    <message>
        <source>Interdependence GeoPackage</source>
        <translation>Interdependence GeoPackage</translation>
    </message>
    <message>
        <source>Web map</source>
        <translation>Web map</translation>
    </message>
    <message>
        <source>Layers written</source>
        <translation>Layers written</translation>
    </message>
    <message>
        <source>Number of top partners</source>
        <translation>Number of top partners</translation>
    </message>
    <message>
        <source>Summary table</source>
        <translation>Summary table</translation>
    </message>
    <message>
        <source>Summary (Markdown)</source>
        <translation>Summary (Markdown)</translation>
    </message>
    <message>
        <source>Styled GeoPackage</source>
        <translation>Styled GeoPackage</translation>
    </message>
    <message>
        <source>Web map / HTML report</source>
        <translation>Web map / HTML report</translation>
    </message>
    <message>
        <source>Report (Markdown)</source>
        <translation>Report (Markdown)</translation>
    </message>
    <message>
        <source>Province table (CSV)</source>
        <translation>Province table (CSV)</translation>
    </message>
    <message>
        <source>Years (comma-separated)</source>
        <translation>Years (comma-separated)</translation>
    </message>
    <message>
        <source>Prefecture table (CSV)</source>
        <translation>Prefecture table (CSV)</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>Number of classes</source>
        <translation>Number of classes</translation>
    </message>
    <message>
        <source>Demand column</source>
        <translation>Demand column</translation>
    </message>
    <message>
        <source>Supply column</source>
        <translation>Supply column</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Permutations</source>
        <translation>Permutations</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Random seed</translation>
    </message>
    <message>
        <source>Polygon layer</source>
        <translation>Polygon layer</translation>
    </message>
    <message>
        <source>Numeric field</source>
        <translation>Numeric field</translation>
    </message>
    <message>
        <source>Classification scheme</source>
        <translation>Classification scheme</translation>
    </message>
    <message>
        <source>Classified layer</source>
        <translation>Classified layer</translation>
    </message>
    <message>
        <source>Style file (QML)</source>
        <translation>Style file (QML)</translation>
    </message>
    <message>
        <source>Upper class bounds</source>
        <translation>Upper class bounds</translation>
    </message>
    <message>
        <source>Dependent variable</source>
        <translation>Dependent variable</translation>
    </message>
    <message>
        <source>Explanatory variables (comma-separated)</source>
        <translation>Explanatory variables (comma-separated)</translation>
    </message>
    <message>
        <source>Coefficient table</source>
        <translation>Coefficient table</translation>
    </message>
    <message>
        <source>Map layer</source>
        <translation>Map layer</translation>
    </message>
    <message>
        <source>Title (empty: layer name)</source>
        <translation>Title (empty: layer name)</translation>
    </message>
    <message>
        <source>Source line</source>
        <translation>Source line</translation>
    </message>
    <message>
        <source>Resolution (dpi)</source>
        <translation>Resolution (dpi)</translation>
    </message>
    <message>
        <source>Always add the synthetic-data note</source>
        <translation>Always add the synthetic-data note</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <source>Synthetic note added</source>
        <translation>Synthetic note added</translation>
    </message>
    <message>
        <source>Map a table (countries, provinces, prefectures)</source>
        <translation>Map a table (countries, provinces, prefectures)</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>Maps</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Column to map</source>
        <translation>Column to map</translation>
    </message>
    <message>
        <source>Categorical (one colour per value)</source>
        <translation>Categorical (one colour per value)</translation>
    </message>
    <message>
        <source>Year (empty: the only year in the table)</source>
        <translation>Year (empty: the only year in the table)</translation>
    </message>
    <message>
        <source>Key column (empty: found automatically)</source>
        <translation>Key column (empty: found automatically)</translation>
    </message>
    <message>
        <source>Upper class bounds for user_defined, e.g. 1,5,10</source>
        <translation>Upper class bounds for user_defined, e.g. 1,5,10</translation>
    </message>
    <message>
        <source>Alias file (alias,adcode) for extra Chinese unit spellings</source>
        <translation>Alias file (alias,adcode) for extra Chinese unit spellings</translation>
    </message>
    <message>
        <source>Static map (PNG)</source>
        <translation>Static map (PNG)</translation>
    </message>
    <message>
        <source>Static map (PDF)</source>
        <translation>Static map (PDF)</translation>
    </message>
    <message>
        <source>Every unit with its value (CSV)</source>
        <translation>Every unit with its value (CSV)</translation>
    </message>
    <message>
        <source>Keys without geometry</source>
        <translation>Keys without geometry</translation>
    </message>
    <message>
        <source>Name the column to map.</source>
        <translation>Name the column to map.</translation>
    </message>
    <message>
        <source>Table keys without a geometry (not mapped): </source>
        <translation>Table keys without a geometry (not mapped): </translation>
    </message>
    <message>
        <source>Table (file or table layer)</source>
        <translation>Table (file or table layer)</translation>
    </message>
    <message>
        <source>Alias table (alias,adcode) for extra Chinese unit spellings</source>
        <translation>Alias table (alias,adcode) for extra Chinese unit spellings</translation>
    </message>
    <message>
        <source>Group and sector trade shares</source>
        <translation>Group and sector trade shares</translation>
    </message>
    <message>
        <source>Partner-share maps (GeoPackage)</source>
        <translation>Partner-share maps (GeoPackage)</translation>
    </message>
    <message>
        <source>Shares table</source>
        <translation>Shares table</translation>
    </message>
    <message>
        <source>Share charts (PNG)</source>
        <translation>Share charts (PNG)</translation>
    </message>
    <message>
        <source>Shares (Markdown)</source>
        <translation>Shares (Markdown)</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>Income groups</source>
        <translation>Income groups</translation>
    </message>
</context>
<context>
    <name>GeotradePlugin</name>
    <message>
        <source>geotrade algorithms</source>
        <translation>geotrade algorithms</translation>
    </message>
    <message>
        <source>Show the geotrade algorithms in the Processing toolbox</source>
        <translation>Show the geotrade algorithms in the Processing toolbox</translation>
    </message>
    <message>
        <source>geotrade help</source>
        <translation>geotrade help</translation>
    </message>
    <message>
        <source>&amp;geotrade</source>
        <translation>&amp;geotrade</translation>
    </message>
</context>
<context>
    <name>GeotradeProvider</name>
    <message>
        <source>geotrade (lithium-battery supply chain maps)</source>
        <translation>geotrade (lithium-battery supply chain maps)</translation>
    </message>
</context>
</TS>
