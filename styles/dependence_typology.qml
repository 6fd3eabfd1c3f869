<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
 <renderer-v2 type="categorizedSymbol" attr="dependence_class" symbollevels="0" enableorderby="0" forceraster="0">
  <categories>
   <category render="true" symbol="0" value="partner_one_way" label="One-way dependent on China / 单向依存中国" />
   <category render="true" symbol="1" value="partner_high" label="Highly dependent on China / 高度依存中国" />
   <category render="true" symbol="2" value="partner_moderate" label="Moderately dependent on China / 中度依存中国" />
   <category render="true" symbol="3" value="partner_low" label="Weakly dependent on China / 低度依存中国" />
   <category render="true" symbol="4" value="balanced" label="Balanced / 均衡" />
   <category render="true" symbol="5" value="focal_low" label="China weakly dependent on partner / 中国低度依存" />
   <category render="true" symbol="6" value="focal_moderate" label="China moderately dependent on partner / 中国中度依存" />
   <category render="true" symbol="7" value="focal_high" label="China highly dependent on partner / 中国高度依存" />
   <category render="true" symbol="8" value="focal_one_way" label="China one-way dependent on partner / 中国单向依存" />
   <category render="true" symbol="9" value="focal" label="China (focal country) / 中国（焦点国）" />
   <category render="true" symbol="10" value="" label="No trade with China / 无贸易往来" />
  </categories>
  <symbols>
   <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="247,247,247,255" />
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
   <symbol type="fill" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="7" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="8" alpha="1" clip_to_extent="1" force_rhr="0">
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
   <symbol type="fill" name="9" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
     <Option type="Map">
      <Option type="QString" name="color" value="82,82,82,255" />
      <Option type="QString" name="joinstyle" value="bevel" />
      <Option type="QString" name="outline_color" value="99,99,99,255" />
      <Option type="QString" name="outline_style" value="solid" />
      <Option type="QString" name="outline_width" value="0.15" />
      <Option type="QString" name="outline_width_unit" value="MM" />
      <Option type="QString" name="style" value="solid" />
     </Option>
    </layer>
   </symbol>
   <symbol type="fill" name="10" alpha="1" clip_to_extent="1" force_rhr="0">
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
