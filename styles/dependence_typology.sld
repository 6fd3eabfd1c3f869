<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" xmlns:se="http://www.opengis.net/se" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
 <NamedLayer>
  <se:Name>dependence_typology</se:Name>
  <UserStyle>
   <se:Name>dependence_typology</se:Name>
   <se:Description>
    <se:Title>Trade interdependence with China / 与中国的贸易相互依存类型</se:Title>
   </se:Description>
   <se:FeatureTypeStyle>
    <se:Rule>
     <se:Name>One-way dependent on China / 单向依存中国</se:Name>
     <se:Description>
      <se:Title>One-way dependent on China / 单向依存中国</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>partner_one_way</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#2166ac</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>Highly dependent on China / 高度依存中国</se:Name>
     <se:Description>
      <se:Title>Highly dependent on China / 高度依存中国</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>partner_high</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#4393c3</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>Moderately dependent on China / 中度依存中国</se:Name>
     <se:Description>
      <se:Title>Moderately dependent on China / 中度依存中国</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>partner_moderate</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#92c5de</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>Weakly dependent on China / 低度依存中国</se:Name>
     <se:Description>
      <se:Title>Weakly dependent on China / 低度依存中国</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>partner_low</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#d1e5f0</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>Balanced / 均衡</se:Name>
     <se:Description>
      <se:Title>Balanced / 均衡</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>balanced</ogc:Literal>
      </ogc:PropertyIsEqualTo>
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
     <se:Name>China weakly dependent on partner / 中国低度依存</se:Name>
     <se:Description>
      <se:Title>China weakly dependent on partner / 中国低度依存</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>focal_low</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#fddbc7</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>China moderately dependent on partner / 中国中度依存</se:Name>
     <se:Description>
      <se:Title>China moderately dependent on partner / 中国中度依存</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>focal_moderate</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#f4a582</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>China highly dependent on partner / 中国高度依存</se:Name>
     <se:Description>
      <se:Title>China highly dependent on partner / 中国高度依存</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>focal_high</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#d6604d</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>China one-way dependent on partner / 中国单向依存</se:Name>
     <se:Description>
      <se:Title>China one-way dependent on partner / 中国单向依存</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>focal_one_way</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#b2182b</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>China (focal country) / 中国（焦点国）</se:Name>
     <se:Description>
      <se:Title>China (focal country) / 中国（焦点国）</se:Title>
     </se:Description>
     <ogc:Filter>
      <ogc:PropertyIsEqualTo>
       <ogc:PropertyName>dependence_class</ogc:PropertyName>
       <ogc:Literal>focal</ogc:Literal>
      </ogc:PropertyIsEqualTo>
     </ogc:Filter>
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#525252</se:SvgParameter>
      </se:Fill>
      <se:Stroke>
       <se:SvgParameter name="stroke">#636363</se:SvgParameter>
       <se:SvgParameter name="stroke-width">0.536</se:SvgParameter>
       <se:SvgParameter name="stroke-linejoin">bevel</se:SvgParameter>
      </se:Stroke>
     </se:PolygonSymbolizer>
    </se:Rule>
    <se:Rule>
     <se:Name>No trade with China / 无贸易往来</se:Name>
     <se:Description>
      <se:Title>No trade with China / 无贸易往来</se:Title>
     </se:Description>
     <se:ElseFilter />
     <se:PolygonSymbolizer>
      <se:Fill>
       <se:SvgParameter name="fill">#bdbdbd</se:SvgParameter>
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
