#include "sheetsrowsink.h"

#include "sheetscsvsink.h"
#include "sheetssink.h"

#include <QDir>

namespace breakwater {

std::unique_ptr<SheetsRowSink> makeSheetsRowSink(const SheetsSettings& settings,
                                                 const QString& logDir, EventPublisher& events)
{
    if (!settings.isEnabled())
        return std::make_unique<SheetsCsvSink>(settings, logDir, events);
    SheetsSinkOptions options;
    options.queueDirectory = QDir(logDir).filePath(QStringLiteral("sheets-queue"));
    return std::make_unique<SheetsSink>(settings, events, std::move(options));
}

} // namespace breakwater
