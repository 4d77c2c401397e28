#pragma once

#include "logrowref.h"
#include "logtablemodel.h"

#include <QVariant>

namespace breakwater {

// What LogTableModel shows in a cell of a row, formatted on demand (rows keep no text).
// Times are shown in local time and given in full, as the log's UTC `ts`, in the tooltip.
QVariant logCellData(const LogRowRef& row, LogTableModel::Column column, int role);
QVariant logHeaderData(LogTableModel::Column column, int role);

// "12.5 ms": the log's three decimals, trailing zeros dropped.
QString logMillisecondsText(double ms);

} // namespace breakwater
