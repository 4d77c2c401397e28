#include "logview.h"

#include "logeventdetails.h"
#include "logfilterbar.h"
#include "logfilterproxy.h"
#include "logtablemodel.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <optional>

namespace breakwater {
namespace {

// A cell of each column wide enough for its usual content; Message takes the rest.
constexpr std::array<const char*, LogTableModel::ColumnCount - 1> kColumnSamples = {
    "00:00:00.000",
    "critical",
    "alert_delivery_failed",
    "elevenlabs",
    "call-0000000",
    "Attempt",
    "half_open \u2192 closed",
    "00000.000 ms",
    "transient 503 quota_exceeded",
};

// Asks which rows to export; nothing if the operator cancels.
std::optional<ExportScope> askScope(QWidget* parent, qsizetype shown, qsizetype held)
{
    QMessageBox box(QMessageBox::Question, LogView::tr("Export log CSV"),
                    LogView::tr("Export the events the current filter shows, or every event held?"),
                    QMessageBox::Cancel, parent);
    const QLocale locale;
    QAbstractButton* filtered =
        box.addButton(LogView::tr("Current filter (%1)").arg(locale.toString(qint64(shown))),
                      QMessageBox::AcceptRole);
    QAbstractButton* everything = box.addButton(
        LogView::tr("Everything (%1)").arg(locale.toString(qint64(held))), QMessageBox::AcceptRole);
    box.setDefaultButton(qobject_cast<QPushButton*>(filtered));
    box.exec();
    if (box.clickedButton() == filtered)
        return ExportScope::CurrentFilter;
    if (box.clickedButton() == everything)
        return ExportScope::Everything;
    return std::nullopt;
}

} // namespace

LogView::LogView(QWidget* parent)
    : LogView(LogTableModel::kDefaultCapacity, parent)
{}

LogView::LogView(qsizetype capacity, QWidget* parent)
    : QWidget(parent)
    , m_model(new LogTableModel(capacity, this))
    , m_proxy(new LogFilterProxy(this))
{
    // Before the proxy hears of it: a current row about to be evicted is let go first, or the
    // view would scroll to where it went and look as if the operator had scrolled up.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) {
                const QModelIndex current =
                    m_proxy->mapToSource(m_table->selectionModel()->currentIndex());
                if (current.isValid() && current.row() >= first && current.row() <= last)
                    m_table->selectionModel()->clearCurrentIndex();
            });
    m_proxy->setSourceModel(m_model);
    buildLayout();
    connectTail();
    connect(m_model, &LogTableModel::totalsChanged, this, &LogView::updateCounts);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &LogView::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogView::updateCounts);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogView::showDetails);
    connect(m_exportButton, &QPushButton::clicked, this, &LogView::exportCsv);
    updateCounts();
}

LogView::~LogView()
{
    // Stops and joins the export thread before the widgets it reports to go.
    delete m_export;
}

void LogView::buildLayout()
{
    m_filterBar = new LogFilterBar(m_model, m_proxy, this);
    m_followTail = new QCheckBox(tr("Follow tail"), this);
    m_followTail->setObjectName(QStringLiteral("followTail"));
    m_followTail->setToolTip(tr("Keep the newest events in view; scrolling up turns it off"));
    m_followTail->setChecked(true);
    m_exportButton = new QPushButton(tr("Export CSV\u2026"), this);
    m_exportButton->setObjectName(QStringLiteral("exportCsv"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(false);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setTextElideMode(Qt::ElideRight);
    // One fixed row height: a million rows are laid out by arithmetic, never measured.
    QHeaderView* rows = m_table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    rows->hide();
    QHeaderView* columns = m_table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setSectionResizeMode(QHeaderView::Interactive);
    for (std::size_t i = 0; i < kColumnSamples.size(); ++i) {
        const int width = fontMetrics().horizontalAdvance(QString::fromUtf8(kColumnSamples[i]));
        columns->resizeSection(int(i), width + 24);
    }

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("eventDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select an event to see it in full, as app.log has it."));

    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("eventCounts"));
    m_exportStatus = new QLabel(this);
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_filterBar, 1);
    controls->addWidget(m_followTail);
    controls->addWidget(m_exportButton);
    auto* status = new QHBoxLayout;
    status->addWidget(m_counts);
    status->addStretch(1);
    status->addWidget(m_exportStatus);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    layout->addLayout(status);
}

void LogView::connectTail()
{
    const auto followIfOn = [this] {
        if (followsTail())
            scrollToTail();
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, followIfOn);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, followIfOn);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, followIfOn);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex&, int first, int last) {
                // Rows leave at the front only when the ring evicts them.
                if (first == 0 && !followsTail())
                    keepViewOnEviction(last - first + 1);
            });
    connect(m_followTail, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            scrollToTail();
    });
    QScrollBar* bar = m_table->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        if (!m_scrollingToTail && value < bar->maximum())
            m_followTail->setChecked(false);
    });
}

void LogView::appendEvents(std::span<const Event> events)
{
    m_model->appendEvents(events);
}

bool LogView::followsTail() const
{
    return m_followTail->isChecked();
}

void LogView::setFollowTail(bool follow)
{
    m_followTail->setChecked(follow);
}

void LogView::scrollToTail()
{
    m_scrollingToTail = true;
    m_table->scrollToBottom();
    m_scrollingToTail = false;
}

void LogView::keepViewOnEviction(int removedRows)
{
    // Rows scroll by whole rows, so the bar's value is the top row: moving it up by what was
    // removed keeps the same events in view until they are evicted themselves.
    QScrollBar* bar = m_table->verticalScrollBar();
    m_scrollingToTail = true;
    bar->setValue(std::max(0, bar->value() - removedRows));
    m_scrollingToTail = false;
}

void LogView::updateCounts()
{
    const QLocale locale;
    QString text = tr("Showing %1 of %2 events")
                       .arg(locale.toString(qint64(m_proxy->rowCount())),
                            locale.toString(qint64(m_model->rowsHeld())));
    if (m_model->rowsEvicted() > 0)
        text += tr(" (%1 older evicted)").arg(locale.toString(qulonglong(m_model->rowsEvicted())));
    m_counts->setText(text);
}

void LogView::showDetails(const QModelIndex& proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    if (source.isValid())
        m_details->setPlainText(logEventDetails(m_model->event(source.row())));
}

namespace {

QString chooseExportFile(QWidget* parent, const QString& suggestedName)
{
    QFileDialog dialog(parent, LogView::tr("Export log CSV"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilters({LogView::tr("CSV files (*.csv)"), LogView::tr("All files (*)")});
    dialog.setDefaultSuffix(QStringLiteral("csv"));
    dialog.selectFile(suggestedName);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    return dialog.selectedFiles().constFirst();
}

} // namespace

void LogView::setFileChooser(FileChooser chooser)
{
    m_chooseFile = std::move(chooser);
}

void LogView::exportCsv()
{
    if (m_export)
        return;
    const QString suggested =
        QStringLiteral("breakwater-log-") +
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) +
        QStringLiteral(".csv");
    const QString path =
        m_chooseFile ? m_chooseFile(this, suggested) : chooseExportFile(this, suggested);
    if (path.isEmpty())
        return;
    std::optional<ExportScope> scope = ExportScope::Everything;
    if (!m_proxy->settings().acceptsEverything())
        scope = askScope(this, m_proxy->rowCount(), m_model->rowsHeld());
    if (!scope)
        return;
    if (startExport(path, *scope))
        m_exportAsked = true;
}

bool LogView::startExport(const QString& path, ExportScope scope)
{
    if (m_export)
        return false;
    std::optional<LogFilterSettings> filter;
    if (scope == ExportScope::CurrentFilter)
        filter = m_proxy->settings();
    m_export = new CsvExportJob(m_model->snapshot(), std::move(filter), path, this);
    connect(m_export, &CsvExportJob::finished, this, &LogView::finishExport);

    m_progress =
        new QProgressDialog(tr("Exporting the log to %1\u2026").arg(QDir::toNativeSeparators(path)),
                            tr("Cancel"), 0, 1000, this);
    m_progress->setWindowTitle(tr("Export log CSV"));
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumDuration(300); // a quick export never flashes a dialog
    m_progress->setValue(0);
    connect(m_progress, &QProgressDialog::canceled, this, &LogView::cancelExport);
    connect(m_export, &CsvExportJob::progress, m_progress, [this](qint64 scanned, qint64 total) {
        m_progress->setValue(total > 0 ? int(scanned * 1000 / total) : 1000);
    });

    m_exportButton->setEnabled(false);
    m_exportStatus->setText(tr("Exporting\u2026"));
    m_export->start();
    return true;
}

void LogView::cancelExport()
{
    if (!m_export)
        return;
    m_export->cancel();
    m_exportCancelled = true;
}

void LogView::finishExport(bool ok, qint64 rowsWritten, const QString& error)
{
    const QString path = m_export->path();
    m_export->deleteLater();
    m_export = nullptr;
    if (m_progress) {
        m_progress->close();
        m_progress->deleteLater();
    }
    m_exportButton->setEnabled(true);
    const bool asked = std::exchange(m_exportAsked, false);
    const bool cancelled = std::exchange(m_exportCancelled, false);
    if (ok) {
        m_exportStatus->setText(
            tr("Exported %1 events to %2")
                .arg(QLocale().toString(rowsWritten), QDir::toNativeSeparators(path)));
    } else {
        m_exportStatus->setText(error);
        // A warning box in answer to the operator's own Cancel would only be in the way; the
        // status line says what happened.
        if (asked && !cancelled)
            QMessageBox::warning(this, tr("Export log CSV"), error);
    }
    Q_EMIT exportFinished(ok, rowsWritten, error);
}

} // namespace breakwater
