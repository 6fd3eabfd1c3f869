<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
 <renderer-v2 type="graduatedSymbol" attr="coalesce(&quot;ratio&quot;, -1)" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
  <ranges>
   <range render="true" symbol="0" lower="0.0" upper="0.2" label="0% – 20%" />
   <range render="true" symbol="1" lower="0.2" upper="0.5" label="&gt;20% – 50%" />
   <range render="true" symbol="2" lower="0.5" upper="0.8" label="&gt;50% – 80%" />
   <range render="true" symbol="3" lower="0.8" upper="1.0" label="&gt;80% – 100%" />
   <range render="true" symbol="4" lower="1.0" upper="10.0" label="&gt;100% – 1000%" />
   <range render="true" symbol="5" lower="-1.0" upper="-1.0" label="No whitelist capacity / 无白名单产能" />
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
      <Option type="QString" name="color" value="255,255,178,255" />
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
      <Option type="QString" name="color" value="254,204,92,255" />
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
      <Option type="QString" name="color" value="253,141,60,255" />
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
      <Option type="QString" name="color" value="240,59,32,255" />
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
      <Option type="QString" name="color" value="189,0,38,255" />
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
      <Option type="QString" name="color" value="150,150,150,255" />
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
