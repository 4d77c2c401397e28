#pragma once

#include "csvwriter.h"
#include "events/event.h"
#include "isotimestampwriter.h"

#include <array>
#include <string_view>

namespace breakwater {

// The CSV form of events, for the dashboard's export and the command-line exporter: one column
// per app.log field, with the same names, in the same order and written the same way (`ts` in
// ISO-8601 UTC with milliseconds, states and kinds by their log names, latency to three
// decimals), so a spreadsheet and the log say the same thing. A field the event does not have is
// an empty cell. Free text (service, reason, error code, message) is neutralised against formula
// injection as CsvWriter describes; numbers are written bare, negative ones included.
class EventCsvFormatter final
{
public:
    static constexpr std::array<std::string_view, 16> kColumns = {
        "ts",         "level",       "event",      "service", "call_id",    "attempt",
        "state",      "from_state",  "to_state",   "reason",  "latency_ms", "delay_ms",
        "error_kind", "http_status", "error_code", "message",
    };

    void writeHeader(CsvWriter& csv) const;
    void writeRecord(CsvWriter& csv, const Event& event);

private:
    // Keeps the current second's text between records: one formatter per thread.
    IsoTimestampWriter m_timestamp;
};

} // namespace breakwater
