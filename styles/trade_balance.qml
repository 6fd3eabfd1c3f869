<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
 <renderer-v2 type="graduatedSymbol" attr="coalesce(&quot;balance_usd&quot;, -50000000001)" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
  <ranges>
   <range render="true" symbol="0" lower="-50000000000.0" upper="-25000000000.0" label="-50 – -25" />
   <range render="true" symbol="1" lower="-25000000000.0" upper="-5000000000.0" label="-25 – -5" />
   <range render="true" symbol="2" lower="-5000000000.0" upper="-500000000.0" label="-5 – -0.5" />
   <range render="true" symbol="3" lower="-500000000.0" upper="0.0" label="-0.5 – +0" />
   <range render="true" symbol="4" lower="0.0" upper="500000000.0" label="+0 – +0.5" />
   <range render="true" symbol="5" lower="500000000.0" upper="5000000000.0" label="+0.5 – +5" />
   <range render="true" symbol="6" lower="5000000000.0" upper="25000000000.0" label="+5 – +25" />
   <range render="true" symbol="7" lower="25000000000.0" upper="50000000000.0" label="+25 – +50" />
   <range render="true" symbol="8" lower="-50000000001.0" upper="-50000000001.0" label="No trade / 无贸易" />
  </ranges>
  <classificationMethod id="Custom">
   <symmetricMode enabled="0" symmetrypoint="0" astride="0" />
   <labelFormat format="%1 - %2" labelprecision="4" trimtrailingzeroes="1" />
   <extraInformation />
  </classificationMethod>
  <symbols>
   <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="178,24,43,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="214,96,77,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="244,165,130,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="253,219,199,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="209,229,240,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="146,197,222,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="67,147,195,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="7" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="33,102,172,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="8" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="224,224,224,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
  </symbols>
 </renderer-v2>
 <blendMode>0</blendMode>
 <featureBlendMode>0</featureBlendMode>
 <layerGeometryType>2</layerGeometryType>
</qgis>
