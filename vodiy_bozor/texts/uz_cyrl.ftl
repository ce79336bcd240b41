## Ўзбекча (кирилл) — the default language of the bot and of the channel.

## Main menu and commands
menu-new-ad = 📝 Эълон бериш
menu-my-ads = 📦 Эълонларим
menu-help = ❓ Ёрдам
menu-lang = 🌐 Тил
menu-search = 🔎 Қидириш
menu-subs = 🔔 Обуналарим
cmd-new = Янги эълон бериш
cmd-my = Менинг эълонларим
cmd-help = Бот қандай ишлайди
cmd-lang = Тилни алмаштириш
cmd-search = Эълон қидириш
cmd-subs = Сақланган қидирувлар
cmd-cancel = Бекор қилиш

start-greeting =
    Ассалому алайкум, { $name }! 👋
    Бу — «Водий бозор» каналининг боти. Сотмоқчи бўлган нарсангиз ҳақида шу ерда эълон берасиз: админлар кўриб чиққач, эълон каналга чиқади.

    💡 Тайёр эълонингиз бўлса, уни шунчаки юборинг: расмлар (альбом) ва остида матни — нархи, жойи, телефони. Бот ўқиб олади ва фақат етишмаганини сўрайди.

    Пастдаги тугмалардан бирини танланг.
start-draft-waiting = ✏️ Сизда тугалланмаган эълон бор: давом эттириш учун /new, ўчириш учун /cancel.
help =
    <b>«Водий бозор» боти қандай ишлайди</b>

    1. «📝 Эълон бериш»ни босинг ва саволларга жавоб беринг: тоифа, расмлар, тавсиф, нарх, ҳудуд, телефон.
    💡 Тезроғи: эълонни битта хабар қилиб юборинг — расмлар (альбом ёки битта расм) ва остида матни: нима, нархи, жойи, телефони. Бошқа гуруҳдаги ўз эълонингизни узатсангиз ҳам бўлади. Бот ўқиб олади, фақат етишмаганини сўрайди ва кўрсатади.
    2. Эълон админларга боради. Тасдиқлашгач, у каналга чиқади ва сизга ҳаволаси юборилади.
    3. Сотилмаган эълонлар каналда вақти-вақти билан қайта чиқиб туради.
    4. Вақти-вақти билан «Сотилдими?» деб сўраймиз: сотилган бўлса, билдириб қўйинг.

    /new — янги эълон
    /my — эълонларим
    /search — эълон қидириш
    /subs — сақланган қидирувлар
    /cancel — бекор қилиш
    /lang — тилни алмаштириш
lang-choose = Тилни танланг:
lang-changed = ✅ Тил: ўзбекча (кирилл).
not-understood = Тушунмадим 🙂 Пастдаги тугмалардан бирини танланг.
button-outdated = Бу тугма эскирган. Янгисидан фойдаланинг.
too-fast = Бир вақтда жуда кўп хабар келди 🙂 Бироз кутинг: ортиқчасини ўтказиб юбордим.

## Ad dialog
ad-cancel-button = ❌ Бекор қилиш
ad-cancelled = Эълон бекор қилинди. Хоҳлаган пайтда янгисини бошлашингиз мумкин.
ad-nothing-to-cancel = Бекор қиладиган ҳеч нарса йўқ.
ad-ask-category = <b>{ $step }.</b> Нима сотасиз? Тоифани танланг:
ad-ask-photos =
    <b>{ $step }.</b> Маҳсулотнинг расмларини юборинг: 1 тадан 10 тагача.
    Бир нечтасини бирданига (альбом қилиб) юборсангиз ҳам бўлади.
ad-photos-received = 📷 { $count } та расм қабул қилинди. Яна юборинг ёки «Тайёр»ни босинг.
ad-photos-done-button = ✅ Тайёр
ad-photos-limit = Кўпи билан { $limit } та расм юбориш мумкин. Ортиқчаси қабул қилинмади.
ad-photos-need-one = Камида битта расм юборинг.
ad-ask-description =
    <b>{ $step }.</b> Маҳсулот ҳақида ёзинг: нима, қандай ҳолатда, ўлчами, йили ва ҳоказо.
    Кўпи билан { $limit } белги.
ad-description-too-long = Тавсиф жуда узун: { $length } белги, кўпи билан { $limit } та бўлиши керак. Қисқартириб, қайтадан юборинг.
ad-description-empty = Тавсифни матн билан ёзинг.
ad-ask-price =
    <b>{ $step }.</b> Нархини ёзинг. Масалан: <code>12 500 000</code>, <code>12,5 млн</code>, <code>500$</code>.
    Ёки «Келишилади»ни босинг.
ad-price-negotiable-button = 🤝 Келишилади
ad-price-saved = Нарх: { $price }
ad-price-not-a-number = Нархни тушунмадим. Шундай ёзинг: <code>12 500 000</code>, <code>12,5 млн</code> ёки <code>500$</code>.
ad-price-negative = Нарх манфий бўлиши мумкин эмас. Масалан: <code>12 500 000</code> ёки <code>500$</code>.
ad-price-too-large = Бу нарх ҳаддан ташқари катта. Текшириб, қайта ёзинг: масалан, <code>12,5 млн</code> ёки <code>15 000$</code>.
ad-price-too-small = Бу нарх жуда кичик. Сўмда ёзинг: <code>150 000</code>, ёки долларда: <code>50$</code>.
ad-ask-region = <b>{ $step }.</b> Маҳсулот қаерда? Ҳудудни танланг:
ad-ask-district = Туман ёки шаҳарни ёзинг (масалан, <i>Марғилон</i>) ёки «Ўтказиб юбориш»ни босинг.
ad-skip-district-button = ⏭ Ўтказиб юбориш
ad-district-too-long = Туман номи жуда узун (кўпи билан { $limit } белги).
ad-answer-too-long = Жавоб жуда узун (кўпи билан { $limit } белги). Қисқароқ ёзинг ёки тугмани босинг.
ad-ask-phone =
    <b>{ $step }.</b> Харидорлар қайси рақамга қўнғироқ қилсин?
    «📱 Рақамимни юбориш»ни босинг ёки рақамни ёзинг, масалан: <code>+998 90 123 45 67</code>.
ad-share-phone-button = 📱 Рақамимни юбориш
ad-phone-invalid = Бу ўзбек телефон рақамига ўхшамайди. Шундай ёзинг: <code>+998 90 123 45 67</code> ёки <code>90 123 45 67</code>.
ad-phone-not-own = Тугма фақат ўз рақамингизни юборади. Бошқа рақам бўлса, уни ёзиб юборинг.
ad-phone-saved = Телефон: { $phone }
ad-preview-intro = <b>{ $step }.</b> Эълон каналда мана шундай кўринади. Ҳаммаси тўғрими?
ad-submit-button = ✅ Юбориш
ad-edit-button = ✏️ Ўзгартириш
ad-edit-ask = Нимани ўзгартирасиз?
ad-back-to-preview-button = ⬅️ Орқага
ad-field-category = Тоифа
ad-field-photos = Расмлар
ad-field-description = Тавсиф
ad-field-price = Нарх
ad-field-region = Ҳудуд
ad-field-phone = Телефон
ad-submitted = ✅ Раҳмат! Эълонингиз админларга юборилди. Тасдиқланиши билан хабар берамиз.
ad-draft-gone = Бу эълон қоралмаси топилмади. Янгисини бошлаш учун /new.
ad-limit-pending = Сизнинг { $count } та эълонингиз текширувда турибди. Улар кўриб чиқилгач, янгисини юборишингиз мумкин.
ad-limit-daily = Бугун { $limit } та эълон юбордингиз — бу кунлик чегара. Эртага яна юборинг.
ad-wrong-input-photos = Бу қадамда расм кутяпман (стикер, файл ёки овоз эмас).
ad-wrong-input-text = Бу қадамда матн кутяпман.
ad-wrong-input-buttons = Пастдаги тугмалардан бирини танланг.
ad-wrong-input-phone = Рақамни ёзинг ёки «📱 Рақамимни юбориш»ни босинг.
ad-finish-first = Аввал бошланган эълонни тугатинг ёки /cancel билан бекор қилинг.
ad-quick-photos = 📷 { $count } та расм қабул қилинди.
ad-quick-not-own = Бу хабар бошқа одамники. Фақат ўз эълонингизни юборинг: расмлари ва матнини ўзингиз юборинг ёки «📝 Эълон бериш»ни босинг.

## Categories (buttons) and their hashtags (no spaces; Telegram hashtags are letters, digits and _)
category-vehicles = 🚗 Авто-улов
category-realty = 🏠 Кўчмас мулк
category-appliances = 📺 Маиший техника
category-household = 🛋 Уй-рўзғор буюмлари
category-clothing = 👕 Кийим-кечак
category-sports = ⚽ Спорт анжомлари
category-phones = 📱 Телефонлар
category-electronics = 💻 Электроника
category-livestock = 🐄 Чорва ва деҳқончилик
category-services = 🛠 Хизматлар
category-other = 📦 Бошқа
hashtag-vehicles = Авто_улов
hashtag-realty = Кўчмас_мулк
hashtag-appliances = Маиший_техника
hashtag-household = Уй_рўзғор
hashtag-clothing = Кийим_кечак
hashtag-sports = Спорт
hashtag-phones = Телефон
hashtag-electronics = Электроника
hashtag-livestock = Чорва
hashtag-services = Хизматлар
hashtag-other = Бошқа

## Regions
region-andijan = Андижон
region-fergana = Фарғона
region-namangan = Наманган
region-other = Бошқа ҳудуд
hashtag-region-andijan = Андижон
hashtag-region-fergana = Фарғона
hashtag-region-namangan = Наманган
hashtag-region-other = Водий

## Prices
price-uzs = { $amount } сўм
price-usd = { $amount } $
price-negotiable = келишилади
price-free = бепул

## The caption (the channel post, the preview, the admin card)
caption-price = 💰 <b>Нархи:</b> { $price }
caption-region = 📍 <b>Манзил:</b> { $place }
caption-phone = 📞 <b>Тел:</b> { $phone }
caption-footer = 📝 Эълон бериш: @{ $bot }
caption-repost = 🔁 <b>Ҳали сотилмади</b>
caption-sold = ✅ <b>СОТИЛДИ</b>
caption-removed = ❌ <b>Сотувда эмас</b>

## Moderation: the admin's card
card-title = 🆕 <b>Эълон #{ $id }</b> · { $category }
card-seller = 👤 Сотувчи: { $seller } · ID <code>{ $user_id }</code>
card-seller-stats = 📊 Эълонлари: { $posted } та, шундан тасдиқланган: { $approved } та
card-submitted = 🕒 Юборилган: { $time }
card-pending = ⏳ Админ қарорини кутмоқда
card-approved = ✅ { $admin } тасдиқлади, { $time }
card-published = 📢 Каналда: { $link }
card-rejected = ❌ { $admin } рад этди, { $time }
card-reason = Сабаб: { $reason }
card-status = Ҳозирги ҳолати: { $status }
mod-approve-button = ✅ Тасдиқлаш
mod-reject-button = ❌ Рад этиш
mod-reason-typed-button = ✍️ Бошқа сабаб (ёзиш)
mod-back-button = ⬅️ Орқага
mod-reason-prompt = Эълон #{ $id } нима учун рад этилаётганини ёзинг. Шу матн эгасига юборилади. Бекор қилиш: /cancel
mod-reason-too-long = Сабаб жуда узун (кўпи билан { $limit } белги).
mod-reason-cancelled = Яхши, эълон #{ $id } аввалгидек қарорни кутмоқда.
mod-reason-expired = 10 дақиқадан кўп ўтди: #{ $id } учун сабабни энди кутмаяпман. Карточкадаги ❌ни қайта босинг.
mod-approved = ✅ Тасдиқланди, каналга юборилмоқда.
mod-rejected = Рад этилди, эгасига сабаби юборилди.
mod-late-approved = Бу эълонни { $admin } аллақачон тасдиқлаган ({ $time }).
mod-late-rejected = Бу эълонни { $admin } аллақачон рад этган ({ $time }).
mod-late-gone = Бу эълон топилмади.
mod-late-withdrawn = Сотувчи бу эълонни модерациядан олдин қайтариб олган.
mod-not-admin = Бу тугма фақат админлар учун.
reject-reason-duplicate = Такрорий эълон
reject-reason-forbidden = Сотиш тақиқланган маҳсулот
reject-reason-photos = Расмлар тушунарсиз
reject-reason-price = Нарх ҳақиқатга тўғри келмайди
reject-reason-category = Тоифа нотўғри танланган

## Notices to the owner
owner-published = 🎉 Эълонингиз (#{ $id }) каналга чиқди: { $link }
owner-rejected =
    Афсуски, эълонингиз (#{ $id }) рад этилди.
    Сабаб: { $reason }

    Тузатиб, қайтадан юборишингиз мумкин: /new

## Admin commands
pending-none = Текширувни кутаётган эълон йўқ. 👌
pending-header = Текширувни кутаётган эълонлар: { $count } та. Эскилари олдинда юборилади.
unposted-none = Барча тасдиқланган эълонлар каналда ёки йўлда. 👌
unposted-header = Тасдиқланган, лекин каналга чиқмаган эълонлар: { $count } та.
unposted-item = #{ $id } · { $summary } · охирги уриниш: { $status }
unposted-button = 📢 #{ $id } ни қайта чиқариш
unposted-queued = 📢 Эълон #{ $id } каналга навбатга қўйилди.
unposted-already = Эълон #{ $id } аллақачон каналда ёки йўлда.
stats =
    📊 <b>Статистика</b>

    👥 Фойдаланувчилар: { $users } (бу ҳафта янги: { $new_week }, ботни блоклаган: { $blocked })
    📝 Эълонлар: кутилмоқда { $pending } · каналда { $published } · рад этилган { $rejected }
    ✅ Сотилган: { $sold } · 🗑 олиб ташланган: { $removed } · ⌛ муддати ўтган: { $expired }
    🔁 Сўнгги 24 соатда қайта чиқарилди: { $reposts }
    ⏱ Юборилгандан қарорга (медиана): { $median }
    📤 Юборилиш навбатида: { $backlog }
stats-no-median = ҳали йўқ

## Ad statuses as words
status-pending = текширувда
status-approved = каналга чиқмоқда
status-published = каналда
status-rejected = рад этилган
status-sold = сотилган
status-removed = олиб ташланган
status-expired = муддати ўтган

## "Has it sold?" and the owner's answers
sold-question =
    ❓ <b>Эълонингиз (#{ $id }) сотилдими?</b>

    { $summary }
    💰 { $price }
sold-button = ✅ Сотилди
selling-button = 🔁 Ҳали сотувда
remove-button = 🗑 Олиб ташлаш
answer-sold = ✅ Сотилди деб белгиланди. Каналдаги эълон «СОТИЛДИ» деб янгиланади. Савдонгиз баракали бўлсин!
answer-selling = 🔁 Яхши, эълон каналда қайта-қайта чиқишда давом этади. Кейинроқ яна сўраймиз.
answer-removed = 🗑 Эълон олиб ташланди. Каналда «Сотувда эмас» деб белгиланади.
answer-renewed = 🔁 Эълон янгиланди: яна каналда қайта чиқиб туради.
answer-late = Бу эълоннинг ҳолати: { $status }.
answer-banned = 🚫 Сиз блоклангансиз: эълонни янгилаб ёки муддатини узайтириб бўлмайди. Уни сотилган деб белгилаш ёки ўчириш мумкин.
owner-expired =
    ⌛ Эълонингиз (#{ $id }) ҳақидаги саволларимизга жавоб бўлмади, шунинг учун у энди каналда қайта чиқарилмайди.
    Ҳали сотилмаган бўлса, «📦 Эълонларим»да уни янгиланг: /my

## My ads
my-ads-empty = Сизда ҳали эълон йўқ. Янгисини бериш: /new
my-ads-header = 📦 <b>Эълонларингиз</b> — жами { $count } та:
my-ads-item =
    <b>#{ $id }</b> · { $status } · { $price } · 👁 { $opens }
    { $summary }
my-ads-link = 🔗 { $link }
my-sold-button = ✅ Сотилди #{ $id }
my-remove-button = 🗑 #{ $id }
my-renew-button = 🔁 Янгилаш #{ $id }
my-confirm-remove-button = ❗ Ҳа, #{ $id } олиб ташлансин
my-keep-button = ↩️ Йўқ

## The channel refuses posts, or a post's outcome is unknown (to the admins)

admin-channel-refused =
    ⚠️ Канал { $channel } { $since } дан бери ботнинг эълонларини қабул қилмаяпти.
    Нима қилиш керак: { $fix }
    Тасдиқланган эълонлар йўқолмайди: улар навбатда туради ва муаммо тузатилгач, каналга чиқади.
admin-channel-fix-rights = каналнинг «Администраторлар» бўлимида ботни танланг ва унга «Хабар юбориш» (Post messages) ҳуқуқини ёқинг.
admin-channel-fix-member = ботни каналга администратор қилиб қўшинг ва унга «Хабар юбориш» (Post messages) ҳуқуқини беринг.
admin-channel-fix-not_found = Telegram бу канални топмаяпти: канал ўчирилмаганини ва ботнинг созламасидаги CHANNEL_ID тўғрилигини текширинг.
admin-channel-restored = ✅ Канал { $channel } яна эълонларни қабул қиляпти ({ $since } дан бери қабул қилмаётган эди). Навбатдаги эълонлар ҳозир чиқади, эгаларига хабар берилади.
admin-post-unknown =
    ❓ Эълон #{ $id }: { $time } да каналга юборилаётганда алоқа узилди, у чиққан-чиқмагани номаълум: бот каналдан текшириб ҳам буни аниқлай олмади.
    Канал { $channel } ни текширинг: эълон у ерда бўлса, уни ўчиринг. Кейин уни каналга чиқмаган тасдиқланган эълонлар рўйхатидан (/unposted) қайта чиқаринг.
    Бот ўзи қайта юбормайди: иккинчи нусхани кейин «сотилди» деб белгилаб бўлмасди.
admin-repost-unknown =
    ❓ Эълон #{ $id }: { $time } да қайта чиқарилаётганда алоқа узилди, у чиққан-чиқмагани номаълум: бот каналдан текшириб ҳам буни аниқлай олмади.
    Канал { $channel } да шу вақтдаги қайта чиқарилган нусха бўлса, уни ўчиринг: бот уни кейин «сотилди» деб белгилай олмайди.

## The assistant's hints on the admin card (it never decides)
hint-duplicate = ⚠️ Такрор бўлиши мумкин: #{ $id } ({ $status }){ $link } — { $what }
hint-duplicate-link = , { $link }
hint-same-photos = { $count } та бир хил расм
hint-similar-photos = { $count } та ўхшаш расм
hint-text = матн { $percent }% бир хил
hint-same-phone = телефон бир хил
hint-same-owner = ўша сотувчи
hint-price-high = 💰 Нарх тоифадаги ўртачадан { $times } баравар юқори (ўртача { $median }){ $suggestion }
hint-price-low = 💰 Нарх тоифадаги ўртачадан { $times } баравар паст (ўртача { $median }){ $suggestion }
hint-price-suggestion = ; балки { $price } назарда тутилгандир
hint-scam = 🤖 Шубҳа: { $level } — { $reasons }
hint-scam-level-medium = ўрта
hint-scam-level-high = юқори
hint-category = 📂 Тоифа балки «{ $category }» бўлиши керак
hint-category-button = 📂 Тоифани «{ $category }» га ўзгартириш
hint-ban-button = 🚫 Сотувчини блоклаш
hint-history = 🗂 { $time } · { $admin }: { $action }
action-approve = тасдиқлади
action-reject = рад этди
action-category = тоифани ўзгартирди: { $detail }
action-ban = сотувчини блоклади: { $detail }
action-unban = блокдан чиқарди
assistant-reason-link = бошқа сайт ёки каналга ҳавола
assistant-reason-username = @username орқали ёзишга чақиради
assistant-reason-other_phone = матнда бошқа телефон рақами
assistant-reason-prepayment = олдиндан тўлов ёки картага пул сўрайди
assistant-reason-card_number = матнда банк карта рақами
assistant-reason-shared_phone = бу телефон 3 ва ундан ортиқ аккаунтда
assistant-reason-new_account = аккаунт бир кундан кам аввал пайдо бўлган
assistant-reason-rejections = 30 кунда 2 ва ундан ортиқ эълони рад этилган
assistant-reason-caps = асосан катта ҳарфлар
assistant-reason-emoji = жуда кўп эмодзи
assistant-reason-bait_price = нарх шубҳали даражада паст
assistant-reason-too_cheap = нарх тоифадаги ўртачадан 10 баравар паст
assistant-reason-foreign_phone = чет эл телефон рақами
assistant-reason-messenger = WhatsApp ёки Instagram'га чақиради
assistant-reason-short_link = қисқартирилган ҳавола (bit.ly ва ш.к.)
assistant-reason-nationwide = «Ўзбекистон бўйлаб» етказиб бериш, олганда тўловсиз
assistant-reason-too_good = бу модель учун нарх ҳаддан ташқари паст
assistant-reason-burst = янги аккаунт бир кунда бир нечта эълон берган
assistant-reason-easy_money = осон пул ваъда қилинади (крипто, ставка, кафолатли фойда, уйда иш)
assistant-reason-loan = нотаниш одам кредит ёки қарз таклиф қилмоқда
assistant-reason-away = сотувчи ёки эгаси чет элда: молни кўриб бўлмайди
assistant-reason-subscribe = бошқа каналга обуна бўлишга чақиради
mod-category-changed = 📂 Тоифа «{ $category }» га ўзгартирилди.
mod-ban-ask = Сотувчи { $user } блокланади ва унинг текширувдаги эълонлари рад этилади. Сабабни танланг:
mod-banned = 🚫 Сотувчи блокланди; текширувдаги { $count } та эълони рад этилди.
mod-ban-already = Бу сотувчи аллақачон блокланган.
unban-usage = Шундай ёзинг: /unban <i>фойдаланувчи ID</i>
unban-done = ✅ { $id } блокдан чиқарилди.
unban-none = { $id } блокланмаган.
ad-banned = Кечирасиз, сиз эълон бера олмайсиз. Сабаб: { $reason }
ad-price-check = 🤔 { $price } — бу тоифадаги нархлардан жуда узоқ. { $hint }
ad-price-check-suggestion = Балки { $suggestion } назарда тутгандирсиз?
ad-price-check-none = Тўғри ёзилганини текширинг.
ad-price-use-button = ✅ { $price }
ad-price-which = 🤔 { $typed } — қайси нархни назарда тутдингиз? Тугмани босинг ёки нархни тўлиқ ёзинг: <code>12 500 000</code> ёки <code>500$</code>.
ad-price-keep-button = Нарх тўғри: { $price }
ad-own-repeat = ℹ️ Бу эълон сизнинг #{ $id } эълонингизга жуда ўхшайди. Янгисини юбориш ўрнига эскисини янгилашингиз мумкин.
ad-own-repeat-button = 🔄 #{ $id } ни янгилаш
ad-own-renewed = ✅ #{ $id } янгиланди: у яна каналда кўрсатилади. Янги эълон қоралмаси ўчирилди.

## Buyers: search
search-ask = 🔎 Нима қидиряпсиз? Бир-икки сўз ёзинг, масалан: <code>телефон samsung</code> ёки <code>музлатгич</code>.
search-too-long = Бу жуда узун. Қидирув учун { $limit } белгигача бир неча сўз ёзинг.
search-no-words = Бу ерда қидириладиган сўз йўқ. Ҳарф ёки рақамлар билан ёзинг, масалан: <code>телефон</code>.
search-header = 🔎 «{ $query }» — { $page }-саҳифа
search-item =
    <b>{ $n }.</b> { $summary }
    💰 { $price } · 📍 { $place } · 🕒 { $age }
search-nothing = 🔎 «{ $query }» бўйича ҳозир эълон йўқ.
search-nothing-filters = Филтрни олиб ташлаб кўринг (✖ тугмалари).
search-nothing-save = 🔔 Қидирувни сақланг: янги эълон чиқса, хабар берамиз.
search-filter-category = 📂 Тоифа
search-filter-region = 📍 Ҳудуд
search-filter-price = 💰 Нарх
search-save-button = 🔔 Сақлаш
search-back-button = ◀ Орқага
search-choose-category = Тоифани танланг:
search-choose-region = Ҳудудни танланг:
search-ask-price = 💰 Нарх оралиғини ёзинг, масалан: <code>1-3 млн</code>, <code>до 2 млн</code>, <code>500$ гача</code>, <code>300 000 дан</code>.
search-price-unreadable = Нархни тушунмадим. Шундай ёзинг: <code>1-3 млн</code>, <code>500$ гача</code> ёки <code>300 000 дан</code>.
search-price-mixed = Икки чеккаси бир хил пулда бўлсин: сўмда ёки долларда.
search-price-upside-down = Кичик нарх олдин ёзилади. Тескариси шуми?
search-price-swap-button = ✅ { $range }
search-outdated = Бу қидирув эскирган. 🔎 билан янгисини бошланг.
search-page-changed = Рўйхат ўзгарди: биринчи саҳифа.
search-saved = 🔔 Сақланди. Мос янги эълон чиқса, хабар берамиз. Рўйхат: /subs
search-save-full = Сизда { $limit } та сақланган қидирув бор — бу энг кўпи. Аввал /subs да биттасини ўчиринг.
age-now = ҳозиргина
age-minutes = { $n } дақиқа олдин
age-hours = { $n } соат олдин
age-days = { $n } кун олдин

## Buyers: saved searches
subs-empty = Сақланган қидирув йўқ. 🔎 билан қидириб, натижалар остидаги 🔔 ни босинг.
subs-header = 🔔 Сақланган қидирувлар ({ $count }/{ $limit }):
subs-item = { $n }. { $search }
subs-delete-button = 🗑 { $n }. { $query }
subs-deleted = 🗑 Ўчирилди.
subs-gone = Бу қидирув аллақачон ўчирилган.
subs-off = 🔕 Бу қидирув бўйича хабар бошқа келмайди.
notice-caption =
    🔔 «{ $query }» бўйича янги эълон:
    { $summary }
    💰 { $price } · 📍 { $place }
notice-open-button = 📢 Каналда кўриш
notice-off-button = 🔕 Обунани бекор қилиш

## Buyers: an ad opened from the channel
ad-page-write-button = ✉️ Сотувчига ёзиш
ad-page-gone = Бу эълон энди йўқ.
ad-page-sold = Эълон #{ $id } сотилган.
ad-page-contact = 📞 Сотувчи: { $phone }
ad-page-contact-username = 📞 Сотувчи: { $phone } · @{ $username }
caption-footer-ad = 👉 <a href="{ $link }">Сотувчи билан боғланиш</a>
digest-header = 🌙 Бугун сақланган қидирувларингизга мос яна { $count } та эълон чиқди:

## Paid promotion (Telegram Stars)
promo-lift-button = 🚀 Кўтариш · { $stars } ⭐
promo-pin-button = 📌 Қадаш · { $stars } ⭐
my-lift-button = 🚀 Кўтариш #{ $id }
my-pin-button = 📌 Қадаш #{ $id }
promo-kind-lift = 🚀 Кўтариш
promo-kind-pin = 📌 Қадаш
promo-invoice-lift-title = Эълон #{ $id }ни кўтариш
promo-invoice-lift-description = Эълонингиз ҳозир каналга навбатсиз қайта чиқади ва 24 соат қидирувда биринчи туради (🚀 белгиси билан).
promo-invoice-pin-title = Эълон #{ $id }ни қадаш
promo-invoice-pin-description = Эълонингиз каналда 24 соат қадалиб туради. Бир вақтда битта эълон қадалади: навбат бўлса, сизга қадалганда хабар берамиз.
promo-refused-off = Пуллик хизматлар ҳозир ўчирилган.
promo-refused-not_yours = Бу тугма эскирган ёки эълон сизники эмас.
promo-refused-status = Бу эълонга пуллик хизмат олиб бўлмайди: у { $status }.
promo-refused-banned = Сизга эълон жойлаш тақиқланган, шунинг учун пуллик хизмат олиб бўлмайди.
promo-refused-running = Бу эълон учун шу хизмат аллақачон тўланган ва ҳали тугамаган.
promo-refused-price = Нарх ўзгарган. Тугмани қайта босинг.
promo-queued = ⏳ Тўлов қабул қилинди: { $kind } (эълон #{ $id }) навбатда, олдинда { $ahead } та. Вақти келганда хабар берамиз.
promo-lifted = 🚀 Эълонингиз (#{ $id }) каналга қайта чиқди ва 24 соат қидирувда биринчи туради: { $link }
promo-pinned = 📌 Эълонингиз (#{ $id }) каналда 24 соатга қадалди: { $link }
promo-refunded = ↩️ { $kind } (эълон #{ $id }) бажарилмади, юлдузлар қайтарилди. Сабаб: { $reason }
promo-refund-sold = эълон сотилган
promo-refund-removed = эълон олиб ташланган
promo-refund-expired = эълон муддати ўтган
promo-refund-pending = эълон ҳали каналда эмас
promo-refund-approved = эълон ҳали каналда эмас
promo-refund-rejected = эълон рад этилган
promo-refund-published = хизматни бажариб бўлмади
promo-refund-status = эълон каналда эмас
promo-refund-banned = эълон жойлаш тақиқланган
promo-refund-channel = канал бир соатдан бери постларни қабул қилмаяпти
promo-refund-failed = канал рад этди
promo-refund-unknown = каналда чиққани тасдиқланмади
promo-refund-running = бу хизмат аллақачон тўланган
promo-refund-not_yours = эълон сизники эмас
promo-refund-off = хизмат ўчирилган
promo-refund-price = нарх ўзгарган
caption-lift = 🚀 <b>Тепага кўтарилди</b>
paysupport =
    💬 Тўлов бўйича ёрдам.
    Тўланган хизмат бажарилмаса (эълон сотилган, олиб ташланган ёки канал қабул қилмаган), юлдузлар ўз-ўзидан қайтарилади ва сизга хабар берилади.
    Бошқа савол бўлса, канал админларига ёзинг ва тўлов санаси ва эълон рақамини айтинг. Шартлар: /terms
terms =
    📄 Шартлар
    🚀 Кўтариш ({ $lift } ⭐): эълон каналга навбатсиз қайта чиқади ва 24 соат қидирувда биринчи туради. Соатига бир нечта эълон кўтарилади, навбат бўлса кутади.
    📌 Қадаш ({ $pin } ⭐): эълон каналда 24 соат қадалади. Бир вақтда битта эълон қадалади.
    Фақат каналдаги ўз эълонингизни кўтариш мумкин. Хизмат бажарилмаса, юлдузлар қайтарилади. Тўлов Telegram Stars орқали.
revenue-header =
    ⭐ Охирги { $days } кун
    Тушум: { $received } ⭐ · Қайтарилди: { $refunded } ⭐ · Соф: { $net } ⭐
revenue-kind = { $kind }: { $count } та, { $received } ⭐, қайтарилди { $refunded } ⭐
revenue-day = { $day }: { $received } ⭐, қайтарилди { $refunded } ⭐
revenue-chart = ⭐ Охирги { $days } кун: яшил — соф тушум, қизил — қайтарилган
admin-payment-found = ⚠️ Ботда ёзуви йўқ тўлов топилди (янгиланиш йўқолган): { $stars } ⭐, { $kind }, эълон #{ $id }, фойдаланувчи { $user_id }, тўлов { $charge }. Энди бажарилади ёки қайтарилади.
## The catalogue Mini App (vodiy_bozor/webapp): the page's texts
webapp-menu = 🛍 Каталог
webapp-title = Водий бозор
webapp-search = Нима қидиряпсиз?
webapp-all-categories = Барча тоифалар
webapp-all-regions = Барча ҳудудлар
webapp-price-min = Нархдан
webapp-price-max = Нархгача
webapp-tab-all = Эълонлар
webapp-tab-favourites = ❤️ Сараланганлар
webapp-save-search = 🔔 Қидирувни сақлаш
webapp-search-saved = 🔔 Қидирув сақланди: мос янги эълонлар ҳақида ботда хабар берамиз.
webapp-search-limit = Сақланган қидирувлар 10 тадан ошмайди. Ботда /subs орқали биттасини ўчиринг.
webapp-show-phone = 📞 Телефонни кўрсатиш
webapp-write-seller = ✉️ Сотувчига ёзиш
webapp-favourite-add = 🤍 Сараланганларга
webapp-favourite-remove = ❤️ Сараланган
webapp-sold = Сотилган
webapp-empty = Ҳеч нарса топилмади.
webapp-favourites-empty = Ҳали сараланган эълон йўқ: эълондаги 🤍 ни босинг.
webapp-error = Юклаб бўлмади.
webapp-retry = 🔄 Қайта уриниш
webapp-back = ← Орқага
webapp-unauthorised = Каталогни ботдаги 🛍 тугмаси орқали очинг.
webapp-too-many = Жуда тез. Бир неча сониядан сўнг қайта уриниб кўринг.
webapp-gone = Бу эълон энди йўқ.
webapp-price-unreadable = Нархни тушуниб бўлмади. Масалан: 500 минг, 1,5 млн, 300$
webapp-price-currency = Нархнинг иккала чеги бир валютада бўлсин (сўм ёки $).
webapp-price-upside-down = Кичик нарх чапда, каттаси ўнгда бўлсин.
webapp-loading = Юкланмоқда…
webapp-published = Чиқарилган
webapp-category = Тоифа
webapp-place = Манзил
webapp-open = 🛍 Каталог: эълонлар расмлари билан, қидирув ва филтрлар. Очиш учун тугмани босинг.
webapp-off = Каталог ҳозир ёпиқ. 🔎 Қидириш орқали эълон топинг.
