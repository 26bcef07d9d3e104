#ifndef DIDDY_MESH_CJSONC_SHIM_H
#define DIDDY_MESH_CJSONC_SHIM_H
#include <json-c/json.h>
#endif
