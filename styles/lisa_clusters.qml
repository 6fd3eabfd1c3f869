<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
 <renderer-v2 type="categorizedSymbol" attr="lisa_cluster" symbollevels="0" enableorderby="0" forceraster="0">
  <categories>
   <category render="true" symbol="0" value="HH" label="High-High / 高-高" />
   <category render="true" symbol="1" value="LL" label="Low-Low / 低-低" />
   <category render="true" symbol="2" value="LH" label="Low-High / 低-高" />
   <category render="true" symbol="3" value="HL" label="High-Low / 高-低" />
   <category render="true" symbol="4" value="ns" label="Not significant / 不显著" />
   <category render="true" symbol="5" value="" label="No data / island / 无数据/孤岛" />
  </categories>
  <symbols>
   <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="227,26,28,255" />
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
      <Option type="QString" name="color" value="31,120,180,255" />
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
      <Option type="QString" name="color" value="166,206,227,255" />
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
      <Option type="QString" name="color" value="251,154,153,255" />
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
      <Option type="QString" name="color" value="240,240,240,255" />
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
      <Option type="QString" name="color" value="189,189,189,255" />
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
