<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:se="http://www.opengis.net/se" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
 <NamedLayer>
  <se:Name>matching_degree</se:Name>
  <UserStyle>
   <se:Name>matching_degree</se:Name>
   <se:Description>
    <se:Title>Retired-volume share / outlet share / 退役量占比/网点占比</se:Title>
   </se:Description>
   <se:FeatureTypeStyle>
    <se:Rule>
     <se:Name>0 – 0.5 (few volume) / 0 – 0.5（退役量少）</se:Name>
     <se:Description>
      <se:Title>0 – 0.5 (few volume) / 0 – 0.5（退役量少）</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:And>
       <ogc:PropertyIsGreaterThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>0.0</ogc:Literal>
       </ogc:PropertyIsGreaterThanOrEqualTo>
       <ogc:PropertyIsLessThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>0.5</ogc:Literal>
       </ogc:PropertyIsLessThanOrEqualTo>
      </ogc:And>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#5e3c99</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>&gt;0.5 – 0.8</se:Name>
     <se:Description>
      <se:Title>&gt;0.5 – 0.8</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:And>
       <ogc:PropertyIsGreaterThan>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>0.5</ogc:Literal>
       </ogc:PropertyIsGreaterThan>
       <ogc:PropertyIsLessThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>0.8</ogc:Literal>
       </ogc:PropertyIsLessThanOrEqualTo>
      </ogc:And>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#b2abd2</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>&gt;0.8 – 1.25 (matched) / &gt;0.8 – 1.25（匹配）</se:Name>
     <se:Description>
      <se:Title>&gt;0.8 – 1.25 (matched) / &gt;0.8 – 1.25（匹配）</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:And>
       <ogc:PropertyIsGreaterThan>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>0.8</ogc:Literal>
       </ogc:PropertyIsGreaterThan>
       <ogc:PropertyIsLessThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>1.25</ogc:Literal>
       </ogc:PropertyIsLessThanOrEqualTo>
      </ogc:And>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#f7f7f7</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>&gt;1.25 – 2</se:Name>
     <se:Description>
      <se:Title>&gt;1.25 – 2</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:And>
       <ogc:PropertyIsGreaterThan>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>1.25</ogc:Literal>
       </ogc:PropertyIsGreaterThan>
       <ogc:PropertyIsLessThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>2.0</ogc:Literal>
       </ogc:PropertyIsLessThanOrEqualTo>
      </ogc:And>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#fdb863</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>&gt;2 – 100 (few outlets) / &gt;2 – 100（网点少）</se:Name>
     <se:Description>
      <se:Title>&gt;2 – 100 (few outlets) / &gt;2 – 100（网点少）</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:And>
       <ogc:PropertyIsGreaterThan>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>2.0</ogc:Literal>
       </ogc:PropertyIsGreaterThan>
       <ogc:PropertyIsLessThanOrEqualTo>
        <ogc:PropertyName>share_ratio</ogc:PropertyName>
        <ogc:Literal>100.0</ogc:Literal>
       </ogc:PropertyIsLessThanOrEqualTo>
      </ogc:And>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#e66101</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>No outlets (ratio undefined) / 无网点（比值无定义）</se:Name>
     <se:Description>
      <se:Title>No outlets (ratio undefined) / 无网点（比值无定义）</se:Title>
     </se:Description>
     <se:ElseFilter />
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#969696</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
   </se:FeatureTypeStyle>
  </UserStyle>
 </NamedLayer>
</StyledLayerDescriptor>
