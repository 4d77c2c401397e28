#pragma once

#include "errors/serviceerror.h"
#include "telemetry/telemetrysettings.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace breakwater {

class AccessTokenSource;
struct HttpAnswer;

// spreadsheets.values.append, as reference/integrations.md section 4 describes it:
// POST {base}/v4/spreadsheets/{id}/values/{range}:append?valueInputOption=RAW&insertDataOption=
// INSERT_ROWS, the id and range percent-encoded ("Sheet1%21A1"). RAW, so no cell is ever read
// as a formula; INSERT_ROWS, so rows are added below the table, never written over it.
QUrl sheetsAppendUrl(const SheetsSettings& settings);
// {"range":...,"majorDimension":"ROWS","values":[row,...]}, the rows as the queue holds them.
QByteArray sheetsAppendBody(const QString& range, const QByteArrayList& rows);

// What an attempt's answer means for its rows.
struct SheetsAppendOutcome
{
    enum class Verdict
    {
        Appended,     // 2xx: acknowledged
        Unauthorized, // 401: the token is refused; a fresh one may help
        Transient,    // 408, 429, 5xx, timeouts, no connection: back off and try again
        Permanent,    // any other refusal: nothing changes until someone fixes something
        Cancelled,    // cut short by a stop: whether it arrived is unknown
    };

    Verdict verdict = Verdict::Transient;
    int httpStatus = 0;
    QString reason;     // short and stable, for the event's `reason`: "rate_limited", ...
    QString googleCode; // the error's `status`: "RESOURCE_EXHAUSTED", "PERMISSION_DENIED", ...
    QString message;    // for people; may quote the server (scrub secrets before showing it)
    std::optional<std::chrono::milliseconds> retryAfter;
    int updatedRows = -1; // what a 2xx says it appended, when it says

    bool isFailure() const noexcept
    {
        return verdict != Verdict::Appended && verdict != Verdict::Cancelled;
    }
};

// What a server said is scrubbed of the secrets `secrets` knows before it is kept.
SheetsAppendOutcome classifySheetsAnswer(const HttpAnswer& answer, bool cancelled,
                                         const AccessTokenSource& secrets);
// A token that could not be had fails the attempt the same way.
SheetsAppendOutcome sheetsTokenFailure(const ServiceError& error);

} // namespace breakwater
