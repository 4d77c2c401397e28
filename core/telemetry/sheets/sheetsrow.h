#pragma once

#include "events/event.h"
#include "telemetry/eventcsv.h"
#include "telemetry/isotimestampwriter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <bitset>
#include <cstdint>
#include <string_view>

namespace breakwater {

class CsvWriter;

// The columns of a Sheets row, the same in the spreadsheet and in sheets.csv: `event_id` first,
// then every column of the CSV export (EventCsvFormatter), with the same names, in the same order,
// so a row reads like the app.log line it came from.
inline constexpr std::size_t kSheetsColumnCount = EventCsvFormatter::kColumns.size() + 1;
inline constexpr std::array<std::string_view, kSheetsColumnCount> kSheetsColumns = [] {
    std::array<std::string_view, kSheetsColumnCount> columns{};
    columns[0] = "event_id";
    for (std::size_t i = 0; i < EventCsvFormatter::kColumns.size(); ++i)
        columns[i + 1] = EventCsvFormatter::kColumns[i];
    return columns;
}();

// One cell: text, or a number the program formatted itself (attempt, latency, delay, HTTP
// status), which the API gets as a JSON number and sheets.csv writes bare, so it sorts and sums.
// An absent field is an empty text cell.
struct SheetsCell
{
    QString text;
    bool isNumber = false;

    friend bool operator==(const SheetsCell&, const SheetsCell&) = default;
};
using SheetsRow = std::array<SheetsCell, kSheetsColumnCount>;

// The event types that become rows, from their log names. Unknown names are left out: the config
// has refused them already.
using SheetsEventSelection = std::bitset<kEventTypeCount>;
SheetsEventSelection selectSheetsEvents(const QStringList& eventNames);

// Twelve random hex digits, new for every sink: with the stream's sequence number it makes an
// event id no other run repeats, though every run's sequence starts at 1.
QString newSheetsRunId();

// Turns events into rows. event_id is "<run id>-<sequence>": unique across runs, and the sequence
// is the app.log line's `seq`, so a row leads back to its line. Appending is not idempotent (a
// retry after a timeout can add a batch twice): duplicates are found by this column.
//
// Keeps the current second's timestamp text between rows: one formatter per thread.
class SheetsRowFormatter final
{
public:
    // Google Sheets refuses a cell of more than 50,000 characters, and one refused row would hold
    // up every row behind it; free text is cut well before, marked with kTruncationMark.
    static constexpr qsizetype kMaxCellLength = 10'000;
    static constexpr QStringView kTruncationMark = u"\u2026[truncated]";

    explicit SheetsRowFormatter(QString runId);

    const QString& runId() const noexcept { return m_runId; }
    // Events without a sequence (never through a stream) get one of the formatter's own, marked
    // "u" so it cannot collide with a stream's: "<run id>-u<n>".
    QString eventId(const Event& event);
    SheetsRow row(const Event& event);

    // The row as a JSON array on one line, no newline: an entry of values.append's `values`, and
    // a line of the queue on disk. Strings are JSON strings, numbers bare.
    static QByteArray toJson(const SheetsRow& row);
    // As sheets.csv holds it: CsvWriter's quoting and formula neutralising for text, numbers bare.
    static void writeCsvRecord(CsvWriter& csv, const SheetsRow& row);
    static void writeCsvHeader(CsvWriter& csv);

private:
    QString m_runId;
    std::uint64_t m_unsequenced = 0;
    IsoTimestampWriter m_timestamp;
};

} // namespace breakwater
