// Registers every custom layer a saved Panoptic-DeepLab model may name (the MobileNetV2 encoder's FoldedConvBn, the
// MobileNetV3 encoder's hard-swish, squeeze-and-excite and input scaling, the ASPP's AtrousDepthwiseConv2D) with the
// tfjs copy this module imports.
// Import it before tf.loadLayersModel: lib/model/load.ts does, and so does the web page's bundle. It reaches no Node
// built-in, so it bundles for the browser.
import "./folded_conv_bn.ts";
import "./mobilenet_v3_layers.ts";
import "./atrous_depthwise.ts";
