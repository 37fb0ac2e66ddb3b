// ctest capi_modulemap: imports the C API through bindings/swift/module.modulemap the way Swift's
// Clang importer does (as a module, not a textual #include), so a wrong header path or a header
// that does not build as a module fails here rather than in an iOS app.
@import CRegimen;

int main(void) {
  rgm_catalog* catalog = 0;
  rgm_event event = {0};
  event.struct_size = sizeof event;
  return rgm_catalog_default(&catalog) == RGM_OK && event.type == 0 ? 0 : 1;
}
