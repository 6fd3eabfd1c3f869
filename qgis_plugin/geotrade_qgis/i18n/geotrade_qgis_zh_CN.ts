<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>GeotradeAlgorithm</name>
    <message>
        <source>Trade interdependence map</source>
        <translation>贸易相互依赖地图</translation>
    </message>
    <message>
        <source>Trade summary tables</source>
        <translation>贸易汇总表</translation>
    </message>
    <message>
        <source>Province capacity ratio map</source>
        <translation>省级产能比地图</translation>
    </message>
    <message>
        <source>Prefecture matching map</source>
        <translation>地级市匹配度地图</translation>
    </message>
    <message>
        <source>Spatial mismatch statistics</source>
        <translation>空间错配统计</translation>
    </message>
    <message>
        <source>Classify a field (exact natural breaks)</source>
        <translation>字段分级（精确自然断点）</translation>
    </message>
    <message>
        <source>Negative binomial model</source>
        <translation>负二项回归模型</translation>
    </message>
    <message>
        <source>Gravity model (PPML / OLS)</source>
        <translation>引力模型（PPML / OLS）</translation>
    </message>
    <message>
        <source>Export print layout (PDF/PNG/SVG)</source>
        <translation>导出打印布局（PDF/PNG/SVG）</translation>
    </message>
    <message>
        <source>Write synthetic sample data</source>
        <translation>写出合成示例数据</translation>
    </message>
    <message>
        <source>Run the synthetic demo</source>
        <translation>运行合成数据演示</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>贸易</translation>
    </message>
    <message>
        <source>Battery recycling</source>
        <translation>电池回收</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>计量模型</translation>
    </message>
    <message>
        <source>Cartography</source>
        <translation>制图</translation>
    </message>
    <message>
        <source>Synthetic data</source>
        <translation>合成数据</translation>
    </message>
    <message>
        <source>Focal country (ISO3)</source>
        <translation>焦点国家（ISO3）</translation>
    </message>
    <message>
        <source>Years (comma-separated; empty: all)</source>
        <translation>年份（逗号分隔；留空：全部）</translation>
    </message>
    <message>
        <source>HS codes (comma-separated; empty: all)</source>
        <translation>HS 编码（逗号分隔；留空：全部）</translation>
    </message>
    <message>
        <source>Mirror-data policy</source>
        <translation>镜像数据策略</translation>
    </message>
    <message>
        <source>High-dependence threshold</source>
        <translation>高依赖阈值</translation>
    </message>
    <message>
        <source>Low-dependence threshold</source>
        <translation>低依赖阈值</translation>
    </message>
    <message>
        <source>Label language</source>
        <translation>标签语言</translation>
    </message>
    <message>
        <source>Interdependence table</source>
        <translation>相互依赖表</translation>
    </message>
    <message>
        <source>Interdependence GeoPackage</source>
        <translation>相互依赖 GeoPackage</translation>
    </message>
    <message>
        <source>Web map</source>
        <translation>网络地图</translation>
    </message>
    <message>
        <source>Layers written</source>
        <translation>写出的图层</translation>
    </message>
    <message>
        <source>Number of top partners</source>
        <translation>主要伙伴数量</translation>
    </message>
    <message>
        <source>Summary table</source>
        <translation>汇总表</translation>
    </message>
    <message>
        <source>Summary (Markdown)</source>
        <translation>汇总（Markdown）</translation>
    </message>
    <message>
        <source>Styled GeoPackage</source>
        <translation>带样式的 GeoPackage</translation>
    </message>
    <message>
        <source>Web map / HTML report</source>
        <translation>网络地图 / HTML 报告</translation>
    </message>
    <message>
        <source>Report (Markdown)</source>
        <translation>报告（Markdown）</translation>
    </message>
    <message>
        <source>Province table (CSV)</source>
        <translation>省级表（CSV）</translation>
    </message>
    <message>
        <source>Years (comma-separated)</source>
        <translation>年份（逗号分隔）</translation>
    </message>
    <message>
        <source>Prefecture table (CSV)</source>
        <translation>地级市表（CSV）</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Number of classes</source>
        <translation>分级数</translation>
    </message>
    <message>
        <source>Demand column</source>
        <translation>需求列</translation>
    </message>
    <message>
        <source>Supply column</source>
        <translation>供给列</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Permutations</source>
        <translation>置换次数</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Polygon layer</source>
        <translation>面图层</translation>
    </message>
    <message>
        <source>Numeric field</source>
        <translation>数值字段</translation>
    </message>
    <message>
        <source>Classification scheme</source>
        <translation>分级方法</translation>
    </message>
    <message>
        <source>Classified layer</source>
        <translation>分级后的图层</translation>
    </message>
    <message>
        <source>Style file (QML)</source>
        <translation>样式文件（QML）</translation>
    </message>
    <message>
        <source>Upper class bounds</source>
        <translation>各级上界</translation>
    </message>
    <message>
        <source>Dependent variable</source>
        <translation>因变量</translation>
    </message>
    <message>
        <source>Explanatory variables (comma-separated)</source>
        <translation>解释变量（逗号分隔）</translation>
    </message>
    <message>
        <source>Coefficient table</source>
        <translation>系数表</translation>
    </message>
    <message>
        <source>Map layer</source>
        <translation>地图图层</translation>
    </message>
    <message>
        <source>Title (empty: layer name)</source>
        <translation>标题（留空：图层名）</translation>
    </message>
    <message>
        <source>Source line</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <source>Resolution (dpi)</source>
        <translation>分辨率（dpi）</translation>
    </message>
    <message>
        <source>Always add the synthetic-data note</source>
        <translation>总是添加“合成数据”说明</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Synthetic note added</source>
        <translation>已添加合成数据说明</translation>
    </message>
    <message>
        <source>Map a table (countries, provinces, prefectures)</source>
        <translation>表格制图（国家、省份、地级市）</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Column to map</source>
        <translation>制图字段</translation>
    </message>
    <message>
        <source>Categorical (one colour per value)</source>
        <translation>分类型（每个取值一种颜色）</translation>
    </message>
    <message>
        <source>Year (empty: the only year in the table)</source>
        <translation>年份（留空：表中唯一的年份）</translation>
    </message>
    <message>
        <source>Key column (empty: found automatically)</source>
        <translation>键字段（留空：自动识别）</translation>
    </message>
    <message>
        <source>Upper class bounds for user_defined, e.g. 1,5,10</source>
        <translation>user_defined 的各级上界，如 1,5,10</translation>
    </message>
    <message>
        <source>Alias file (alias,adcode) for extra Chinese unit spellings</source>
        <translation>别名文件（alias,adcode），补充中国行政单元的写法</translation>
    </message>
    <message>
        <source>Static map (PNG)</source>
        <translation>静态地图（PNG）</translation>
    </message>
    <message>
        <source>Static map (PDF)</source>
        <translation>静态地图（PDF）</translation>
    </message>
    <message>
        <source>Every unit with its value (CSV)</source>
        <translation>全部单元及其数值（CSV）</translation>
    </message>
    <message>
        <source>Keys without geometry</source>
        <translation>无几何图形的键</translation>
    </message>
    <message>
        <source>Name the column to map.</source>
        <translation>请指定制图字段。</translation>
    </message>
    <message>
        <source>Table keys without a geometry (not mapped): </source>
        <translation>无几何图形的表格键（未制图）：</translation>
    </message>
    <message>
        <source>Table (file or table layer)</source>
        <translation>表格（文件或表格图层）</translation>
    </message>
    <message>
        <source>Alias table (alias,adcode) for extra Chinese unit spellings</source>
        <translation>别名表（alias,adcode），补充中国行政单元的写法</translation>
    </message>
    <message>
        <source>Group and sector trade shares</source>
        <translation>国家组与部门贸易份额</translation>
    </message>
    <message>
        <source>Unit values (USD per kg)</source>
        <translation>单位价值（美元/千克）</translation>
    </message>
    <message>
        <source>Partner-share maps (GeoPackage)</source>
        <translation>贸易伙伴份额地图（GeoPackage）</translation>
    </message>
    <message>
        <source>Shares table</source>
        <translation>份额表</translation>
    </message>
    <message>
        <source>Share charts (PNG)</source>
        <translation>份额图表（PNG）</translation>
    </message>
    <message>
        <source>Shares (Markdown)</source>
        <translation>份额（Markdown）</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>口径</translation>
    </message>
    <message>
        <source>Income groups</source>
        <translation>收入组</translation>
    </message>
</context>
<context>
    <name>GeotradePlugin</name>
    <message>
        <source>geotrade algorithms</source>
        <translation>geotrade 算法</translation>
    </message>
    <message>
        <source>Show the geotrade algorithms in the Processing toolbox</source>
        <translation>在处理工具箱中显示 geotrade 算法</translation>
    </message>
    <message>
        <source>geotrade help</source>
        <translation>geotrade 帮助</translation>
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
        <translation>geotrade（锂电池供应链地图）</translation>
    </message>
</context>
</TS>
