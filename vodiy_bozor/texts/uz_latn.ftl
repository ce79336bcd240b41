## Oʻzbekcha (lotin)

## Main menu and commands
menu-new-ad = 📝 Eʼlon berish
menu-my-ads = 📦 Eʼlonlarim
menu-help = ❓ Yordam
menu-lang = 🌐 Til
menu-search = 🔎 Qidirish
menu-subs = 🔔 Obunalarim
cmd-new = Yangi eʼlon berish
cmd-my = Mening eʼlonlarim
cmd-help = Bot qanday ishlaydi
cmd-lang = Tilni almashtirish
cmd-search = Eʼlon qidirish
cmd-subs = Saqlangan qidiruvlar
cmd-cancel = Bekor qilish

start-greeting =
    Assalomu alaykum, { $name }! 👋
    Bu — «Vodiy bozor» kanalining boti. Sotmoqchi boʻlgan narsangiz haqida shu yerda eʼlon berasiz: adminlar koʻrib chiqqach, eʼlon kanalga chiqadi.

    💡 Tayyor eʼloningiz boʻlsa, uni shunchaki yuboring: rasmlar (albom) va ostida matni — narxi, joyi, telefoni. Bot oʻqib oladi va faqat yetishmaganini soʻraydi.

    Pastdagi tugmalardan birini tanlang.
start-draft-waiting = ✏️ Sizda tugallanmagan eʼlon bor: davom ettirish uchun /new, oʻchirish uchun /cancel.
help =
    <b>«Vodiy bozor» boti qanday ishlaydi</b>

    1. «📝 Eʼlon berish»ni bosing va savollarga javob bering: toifa, rasmlar, tavsif, narx, hudud, telefon.
    💡 Tezrogʻi: eʼlonni bitta xabar qilib yuboring — rasmlar (albom yoki bitta rasm) va ostida matni: nima, narxi, joyi, telefoni. Boshqa guruhdagi oʻz eʼloningizni uzatsangiz ham boʻladi. Bot oʻqib oladi, faqat yetishmaganini soʻraydi va koʻrsatadi.
    2. Eʼlon adminlarga boradi. Tasdiqlashgach, u kanalga chiqadi va sizga havolasi yuboriladi.
    3. Sotilmagan eʼlonlar kanalda vaqti-vaqti bilan qayta chiqib turadi.
    4. Vaqti-vaqti bilan «Sotildimi?» deb soʻraymiz: sotilgan boʻlsa, bildirib qoʻying.

    /new — yangi eʼlon
    /my — eʼlonlarim
    /search — eʼlon qidirish
    /subs — saqlangan qidiruvlar
    /cancel — bekor qilish
    /lang — tilni almashtirish
lang-choose = Tilni tanlang:
lang-changed = ✅ Til: oʻzbekcha (lotin).
not-understood = Tushunmadim 🙂 Pastdagi tugmalardan birini tanlang.
button-outdated = Bu tugma eskirgan. Yangisidan foydalaning.
too-fast = Bir vaqtda juda koʻp xabar keldi 🙂 Biroz kuting: ortiqchasini oʻtkazib yubordim.

## Ad dialog
ad-cancel-button = ❌ Bekor qilish
ad-cancelled = Eʼlon bekor qilindi. Xohlagan paytda yangisini boshlashingiz mumkin.
ad-nothing-to-cancel = Bekor qiladigan hech narsa yoʻq.
ad-ask-category = <b>{ $step }.</b> Nima sotasiz? Toifani tanlang:
ad-ask-photos =
    <b>{ $step }.</b> Mahsulotning rasmlarini yuboring: 1 tadan 10 tagacha.
    Bir nechtasini birdaniga (albom qilib) yuborsangiz ham boʻladi.
ad-photos-received = 📷 { $count } ta rasm qabul qilindi. Yana yuboring yoki «Tayyor»ni bosing.
ad-photos-done-button = ✅ Tayyor
ad-photos-limit = Koʻpi bilan { $limit } ta rasm yuborish mumkin. Ortiqchasi qabul qilinmadi.
ad-photos-need-one = Kamida bitta rasm yuboring.
ad-ask-description =
    <b>{ $step }.</b> Mahsulot haqida yozing: nima, qanday holatda, oʻlchami, yili va hokazo.
    Koʻpi bilan { $limit } belgi.
ad-description-too-long = Tavsif juda uzun: { $length } belgi, koʻpi bilan { $limit } ta boʻlishi kerak. Qisqartirib, qaytadan yuboring.
ad-description-empty = Tavsifni matn bilan yozing.
ad-ask-price =
    <b>{ $step }.</b> Narxini yozing. Masalan: <code>12 500 000</code>, <code>12,5 mln</code>, <code>500$</code>.
    Yoki «Kelishiladi»ni bosing.
ad-price-negotiable-button = 🤝 Kelishiladi
ad-price-saved = Narx: { $price }
ad-price-not-a-number = Narxni tushunmadim. Shunday yozing: <code>12 500 000</code>, <code>12,5 mln</code> yoki <code>500$</code>.
ad-price-negative = Narx manfiy boʻlishi mumkin emas. Masalan: <code>12 500 000</code> yoki <code>500$</code>.
ad-price-too-large = Bu narx haddan tashqari katta. Tekshirib, qayta yozing: masalan, <code>12,5 mln</code> yoki <code>15 000$</code>.
ad-price-too-small = Bu narx juda kichik. Soʻmda yozing: <code>150 000</code>, yoki dollarda: <code>50$</code>.
ad-ask-region = <b>{ $step }.</b> Mahsulot qayerda? Hududni tanlang:
ad-ask-district = Tuman yoki shaharni yozing (masalan, <i>Margʻilon</i>) yoki «Oʻtkazib yuborish»ni bosing.
ad-skip-district-button = ⏭ Oʻtkazib yuborish
ad-district-too-long = Tuman nomi juda uzun (koʻpi bilan { $limit } belgi).
ad-answer-too-long = Javob juda uzun (koʻpi bilan { $limit } belgi). Qisqaroq yozing yoki tugmani bosing.
ad-ask-phone =
    <b>{ $step }.</b> Xaridorlar qaysi raqamga qoʻngʻiroq qilsin?
    «📱 Raqamimni yuborish»ni bosing yoki raqamni yozing, masalan: <code>+998 90 123 45 67</code>.
ad-share-phone-button = 📱 Raqamimni yuborish
ad-phone-invalid = Bu oʻzbek telefon raqamiga oʻxshamaydi. Shunday yozing: <code>+998 90 123 45 67</code> yoki <code>90 123 45 67</code>.
ad-phone-not-own = Tugma faqat oʻz raqamingizni yuboradi. Boshqa raqam boʻlsa, uni yozib yuboring.
ad-phone-saved = Telefon: { $phone }
ad-preview-intro = <b>{ $step }.</b> Eʼlon kanalda mana shunday koʻrinadi. Hammasi toʻgʻrimi?
ad-submit-button = ✅ Yuborish
ad-edit-button = ✏️ Oʻzgartirish
ad-edit-ask = Nimani oʻzgartirasiz?
ad-back-to-preview-button = ⬅️ Orqaga
ad-field-category = Toifa
ad-field-photos = Rasmlar
ad-field-description = Tavsif
ad-field-price = Narx
ad-field-region = Hudud
ad-field-phone = Telefon
ad-submitted = ✅ Rahmat! Eʼloningiz adminlarga yuborildi. Tasdiqlanishi bilan xabar beramiz.
ad-draft-gone = Bu eʼlon qoralamasi topilmadi. Yangisini boshlash uchun /new.
ad-limit-pending = Sizning { $count } ta eʼloningiz tekshiruvda turibdi. Ular koʻrib chiqilgach, yangisini yuborishingiz mumkin.
ad-limit-daily = Bugun { $limit } ta eʼlon yubordingiz — bu kunlik chegara. Ertaga yana yuboring.
ad-wrong-input-photos = Bu qadamda rasm kutyapman (stiker, fayl yoki ovoz emas).
ad-wrong-input-text = Bu qadamda matn kutyapman.
ad-wrong-input-buttons = Pastdagi tugmalardan birini tanlang.
ad-wrong-input-phone = Raqamni yozing yoki «📱 Raqamimni yuborish»ni bosing.
ad-finish-first = Avval boshlangan eʼlonni tugating yoki /cancel bilan bekor qiling.
ad-quick-photos = 📷 { $count } ta rasm qabul qilindi.
ad-quick-not-own = Bu xabar boshqa odamniki. Faqat oʻz eʼloningizni yuboring: rasmlari va matnini oʻzingiz yuboring yoki «📝 Eʼlon berish»ni bosing.

## Categories (buttons); hashtags are taken from the channel's language
category-vehicles = 🚗 Avto-ulov
category-realty = 🏠 Koʻchmas mulk
category-appliances = 📺 Maishiy texnika
category-household = 🛋 Uy-roʻzgʻor buyumlari
category-clothing = 👕 Kiyim-kechak
category-sports = ⚽ Sport anjomlari
category-phones = 📱 Telefonlar
category-electronics = 💻 Elektronika
category-livestock = 🐄 Chorva va dehqonchilik
category-services = 🛠 Xizmatlar
category-other = 📦 Boshqa
hashtag-vehicles = Avto_ulov
hashtag-realty = Kochmas_mulk
hashtag-appliances = Maishiy_texnika
hashtag-household = Uy_rozgor
hashtag-clothing = Kiyim_kechak
hashtag-sports = Sport
hashtag-phones = Telefon
hashtag-electronics = Elektronika
hashtag-livestock = Chorva
hashtag-services = Xizmatlar
hashtag-other = Boshqa

## Regions
region-andijan = Andijon
region-fergana = Fargʻona
region-namangan = Namangan
region-other = Boshqa hudud
hashtag-region-andijan = Andijon
hashtag-region-fergana = Fargona
hashtag-region-namangan = Namangan
hashtag-region-other = Vodiy

## Prices
price-uzs = { $amount } soʻm
price-usd = { $amount } $
price-negotiable = kelishiladi
price-free = bepul

## The caption
caption-price = 💰 <b>Narxi:</b> { $price }
caption-region = 📍 <b>Manzil:</b> { $place }
caption-phone = 📞 <b>Tel:</b> { $phone }
caption-footer = 📝 Eʼlon berish: @{ $bot }
caption-repost = 🔁 <b>Hali sotilmadi</b>
caption-sold = ✅ <b>SOTILDI</b>
caption-removed = ❌ <b>Sotuvda emas</b>

## Moderation: the admin's card
card-title = 🆕 <b>Eʼlon #{ $id }</b> · { $category }
card-seller = 👤 Sotuvchi: { $seller } · ID <code>{ $user_id }</code>
card-seller-stats = 📊 Eʼlonlari: { $posted } ta, shundan tasdiqlangan: { $approved } ta
card-submitted = 🕒 Yuborilgan: { $time }
card-pending = ⏳ Admin qarorini kutmoqda
card-approved = ✅ { $admin } tasdiqladi, { $time }
card-published = 📢 Kanalda: { $link }
card-rejected = ❌ { $admin } rad etdi, { $time }
card-reason = Sabab: { $reason }
card-status = Hozirgi holati: { $status }
mod-approve-button = ✅ Tasdiqlash
mod-reject-button = ❌ Rad etish
mod-reason-typed-button = ✍️ Boshqa sabab (yozish)
mod-back-button = ⬅️ Orqaga
mod-reason-prompt = Eʼlon #{ $id } nima uchun rad etilayotganini yozing. Shu matn egasiga yuboriladi. Bekor qilish: /cancel
mod-reason-too-long = Sabab juda uzun (koʻpi bilan { $limit } belgi).
mod-reason-cancelled = Yaxshi, eʼlon #{ $id } avvalgidek qarorni kutmoqda.
mod-reason-expired = 10 daqiqadan koʻp oʻtdi: #{ $id } uchun sababni endi kutmayapman. Kartochkadagi ❌ni qayta bosing.
mod-approved = ✅ Tasdiqlandi, kanalga yuborilmoqda.
mod-rejected = Rad etildi, egasiga sababi yuborildi.
mod-late-approved = Bu eʼlonni { $admin } allaqachon tasdiqlagan ({ $time }).
mod-late-rejected = Bu eʼlonni { $admin } allaqachon rad etgan ({ $time }).
mod-late-gone = Bu eʼlon topilmadi.
mod-late-withdrawn = Sotuvchi bu eʼlonni moderatsiyadan oldin qaytarib olgan.
mod-not-admin = Bu tugma faqat adminlar uchun.
reject-reason-duplicate = Takroriy eʼlon
reject-reason-forbidden = Sotish taqiqlangan mahsulot
reject-reason-photos = Rasmlar tushunarsiz
reject-reason-price = Narx haqiqatga toʻgʻri kelmaydi
reject-reason-category = Toifa notoʻgʻri tanlangan

## Notices to the owner
owner-published = 🎉 Eʼloningiz (#{ $id }) kanalga chiqdi: { $link }
owner-rejected =
    Afsuski, eʼloningiz (#{ $id }) rad etildi.
    Sabab: { $reason }

    Tuzatib, qaytadan yuborishingiz mumkin: /new

## Admin commands
pending-none = Tekshiruvni kutayotgan eʼlon yoʻq. 👌
pending-header = Tekshiruvni kutayotgan eʼlonlar: { $count } ta. Eskilari oldinda yuboriladi.
unposted-none = Barcha tasdiqlangan eʼlonlar kanalda yoki yoʻlda. 👌
unposted-header = Tasdiqlangan, lekin kanalga chiqmagan eʼlonlar: { $count } ta.
unposted-item = #{ $id } · { $summary } · oxirgi urinish: { $status }
unposted-button = 📢 #{ $id } ni qayta chiqarish
unposted-queued = 📢 Eʼlon #{ $id } kanalga navbatga qoʻyildi.
unposted-already = Eʼlon #{ $id } allaqachon kanalda yoki yoʻlda.
stats =
    📊 <b>Statistika</b>

    👥 Foydalanuvchilar: { $users } (bu hafta yangi: { $new_week }, botni bloklagan: { $blocked })
    📝 Eʼlonlar: kutilmoqda { $pending } · kanalda { $published } · rad etilgan { $rejected }
    ✅ Sotilgan: { $sold } · 🗑 olib tashlangan: { $removed } · ⌛ muddati oʻtgan: { $expired }
    🔁 Soʻnggi 24 soatda qayta chiqarildi: { $reposts }
    ⏱ Yuborilgandan qarorga (mediana): { $median }
    📤 Yuborilish navbatida: { $backlog }
stats-no-median = hali yoʻq

## Ad statuses as words
status-pending = tekshiruvda
status-approved = kanalga chiqmoqda
status-published = kanalda
status-rejected = rad etilgan
status-sold = sotilgan
status-removed = olib tashlangan
status-expired = muddati oʻtgan

## "Has it sold?" and the owner's answers
sold-question =
    ❓ <b>Eʼloningiz (#{ $id }) sotildimi?</b>

    { $summary }
    💰 { $price }
sold-button = ✅ Sotildi
selling-button = 🔁 Hali sotuvda
remove-button = 🗑 Olib tashlash
answer-sold = ✅ Sotildi deb belgilandi. Kanaldagi eʼlon «SOTILDI» deb yangilanadi. Savdongiz barakali boʻlsin!
answer-selling = 🔁 Yaxshi, eʼlon kanalda qayta-qayta chiqishda davom etadi. Keyinroq yana soʻraymiz.
answer-removed = 🗑 Eʼlon olib tashlandi. Kanalda «Sotuvda emas» deb belgilanadi.
answer-renewed = 🔁 Eʼlon yangilandi: yana kanalda qayta chiqib turadi.
answer-late = Bu eʼlonning holati: { $status }.
answer-banned = 🚫 Siz bloklangansiz: eʼlonni yangilab yoki muddatini uzaytirib boʻlmaydi. Uni sotilgan deb belgilash yoki oʻchirish mumkin.
owner-expired =
    ⌛ Eʼloningiz (#{ $id }) haqidagi savollarimizga javob boʻlmadi, shuning uchun u endi kanalda qayta chiqarilmaydi.
    Hali sotilmagan boʻlsa, «📦 Eʼlonlarim»da uni yangilang: /my

## My ads
my-ads-empty = Sizda hali eʼlon yoʻq. Yangisini berish: /new
my-ads-header = 📦 <b>Eʼlonlaringiz</b> — jami { $count } ta:
my-ads-item =
    <b>#{ $id }</b> · { $status } · { $price } · 👁 { $opens }
    { $summary }
my-ads-link = 🔗 { $link }
my-sold-button = ✅ Sotildi #{ $id }
my-remove-button = 🗑 #{ $id }
my-renew-button = 🔁 Yangilash #{ $id }
my-confirm-remove-button = ❗ Ha, #{ $id } olib tashlansin
my-keep-button = ↩️ Yoʻq

## The channel refuses posts, or a post's outcome is unknown (to the admins)

admin-channel-refused =
    ⚠️ Kanal { $channel } { $since } dan beri botning eʼlonlarini qabul qilmayapti.
    Nima qilish kerak: { $fix }
    Tasdiqlangan eʼlonlar yoʻqolmaydi: ular navbatda turadi va muammo tuzatilgach, kanalga chiqadi.
admin-channel-fix-rights = kanalning «Administratorlar» boʻlimida botni tanlang va unga «Xabar yuborish» (Post messages) huquqini yoqing.
admin-channel-fix-member = botni kanalga administrator qilib qoʻshing va unga «Xabar yuborish» (Post messages) huquqini bering.
admin-channel-fix-not_found = Telegram bu kanalni topmayapti: kanal oʻchirilmaganini va botning sozlamasidagi CHANNEL_ID toʻgʻriligini tekshiring.
admin-channel-restored = ✅ Kanal { $channel } yana eʼlonlarni qabul qilyapti ({ $since } dan beri qabul qilmayotgan edi). Navbatdagi eʼlonlar hozir chiqadi, egalariga xabar beriladi.
admin-post-unknown =
    ❓ Eʼlon #{ $id }: { $time } da kanalga yuborilayotganda aloqa uzildi, u chiqqan-chiqmagani nomaʼlum: bot kanaldan tekshirib ham buni aniqlay olmadi.
    Kanal { $channel } ni tekshiring: eʼlon u yerda boʻlsa, uni oʻchiring. Keyin uni kanalga chiqmagan tasdiqlangan eʼlonlar roʻyxatidan (/unposted) qayta chiqaring.
    Bot oʻzi qayta yubormaydi: ikkinchi nusxani keyin «sotildi» deb belgilab boʻlmasdi.
admin-repost-unknown =
    ❓ Eʼlon #{ $id }: { $time } da qayta chiqarilayotganda aloqa uzildi, u chiqqan-chiqmagani nomaʼlum: bot kanaldan tekshirib ham buni aniqlay olmadi.
    Kanal { $channel } da shu vaqtdagi qayta chiqarilgan nusxa boʻlsa, uni oʻchiring: bot uni keyin «sotildi» deb belgilay olmaydi.

## The assistant's hints on the admin card (it never decides)
hint-duplicate = ⚠️ Takror boʻlishi mumkin: #{ $id } ({ $status }){ $link } — { $what }
hint-duplicate-link = , { $link }
hint-same-photos = { $count } ta bir xil rasm
hint-similar-photos = { $count } ta oʻxshash rasm
hint-text = matn { $percent }% bir xil
hint-same-phone = telefon bir xil
hint-same-owner = oʻsha sotuvchi
hint-price-high = 💰 Narx toifadagi oʻrtachadan { $times } barobar yuqori (oʻrtacha { $median }){ $suggestion }
hint-price-low = 💰 Narx toifadagi oʻrtachadan { $times } barobar past (oʻrtacha { $median }){ $suggestion }
hint-price-suggestion = ; balki { $price } nazarda tutilgandir
hint-scam = 🤖 Shubha: { $level } — { $reasons }
hint-scam-level-medium = oʻrta
hint-scam-level-high = yuqori
hint-category = 📂 Toifa balki «{ $category }» boʻlishi kerak
hint-category-button = 📂 Toifani «{ $category }» ga oʻzgartirish
hint-ban-button = 🚫 Sotuvchini bloklash
hint-history = 🗂 { $time } · { $admin }: { $action }
action-approve = tasdiqladi
action-reject = rad etdi
action-category = toifani oʻzgartirdi: { $detail }
action-ban = sotuvchini blokladi: { $detail }
action-unban = blokdan chiqardi
assistant-reason-link = boshqa sayt yoki kanalga havola
assistant-reason-username = @username orqali yozishga chaqiradi
assistant-reason-other_phone = matnda boshqa telefon raqami
assistant-reason-prepayment = oldindan toʻlov yoki kartaga pul soʻraydi
assistant-reason-card_number = matnda bank karta raqami
assistant-reason-shared_phone = bu telefon 3 va undan ortiq akkauntda
assistant-reason-new_account = akkaunt bir kundan kam avval paydo boʻlgan
assistant-reason-rejections = 30 kunda 2 va undan ortiq eʼloni rad etilgan
assistant-reason-caps = asosan katta harflar
assistant-reason-emoji = juda koʻp emoji
assistant-reason-bait_price = narx shubhali darajada past
assistant-reason-too_cheap = narx toifadagi oʻrtachadan 10 barobar past
assistant-reason-foreign_phone = chet el telefon raqami
assistant-reason-messenger = WhatsApp yoki Instagram'ga chaqiradi
assistant-reason-short_link = qisqartirilgan havola (bit.ly va sh.k.)
assistant-reason-nationwide = «Oʻzbekiston boʻylab» yetkazib berish, olganda toʻlovsiz
assistant-reason-too_good = bu model uchun narx haddan tashqari past
assistant-reason-burst = yangi akkaunt bir kunda bir nechta eʼlon bergan
assistant-reason-easy_money = oson pul vaʼda qilinadi (kripto, stavka, kafolatli foyda, uyda ish)
assistant-reason-loan = notanish odam kredit yoki qarz taklif qilmoqda
assistant-reason-away = sotuvchi yoki egasi chet elda: molni koʻrib boʻlmaydi
assistant-reason-subscribe = boshqa kanalga obuna boʻlishga chaqiradi
mod-category-changed = 📂 Toifa «{ $category }» ga oʻzgartirildi.
mod-ban-ask = Sotuvchi { $user } bloklanadi va uning tekshiruvdagi eʼlonlari rad etiladi. Sababni tanlang:
mod-banned = 🚫 Sotuvchi bloklandi; tekshiruvdagi { $count } ta eʼloni rad etildi.
mod-ban-already = Bu sotuvchi allaqachon bloklangan.
unban-usage = Shunday yozing: /unban <i>foydalanuvchi ID</i>
unban-done = ✅ { $id } blokdan chiqarildi.
unban-none = { $id } bloklanmagan.
ad-banned = Kechirasiz, siz eʼlon bera olmaysiz. Sabab: { $reason }
ad-price-check = 🤔 { $price } — bu toifadagi narxlardan juda uzoq. { $hint }
ad-price-check-suggestion = Balki { $suggestion } nazarda tutgandirsiz?
ad-price-check-none = Toʻgʻri yozilganini tekshiring.
ad-price-use-button = ✅ { $price }
ad-price-which = 🤔 { $typed } — qaysi narxni nazarda tutdingiz? Tugmani bosing yoki narxni toʻliq yozing: <code>12 500 000</code> yoki <code>500$</code>.
ad-price-keep-button = Narx toʻgʻri: { $price }
ad-own-repeat = ℹ️ Bu eʼlon sizning #{ $id } eʼloningizga juda oʻxshaydi. Yangisini yuborish oʻrniga eskisini yangilashingiz mumkin.
ad-own-repeat-button = 🔄 #{ $id } ni yangilash
ad-own-renewed = ✅ #{ $id } yangilandi: u yana kanalda koʻrsatiladi. Yangi eʼlon qoralamasi oʻchirildi.

## Buyers: search
search-ask = 🔎 Nima qidiryapsiz? Bir-ikki soʻz yozing, masalan: <code>telefon samsung</code> yoki <code>muzlatgich</code>.
search-too-long = Bu juda uzun. Qidiruv uchun { $limit } belgigacha bir necha soʻz yozing.
search-no-words = Bu yerda qidiriladigan soʻz yoʻq. Harf yoki raqamlar bilan yozing, masalan: <code>telefon</code>.
search-header = 🔎 «{ $query }» — { $page }-sahifa
search-item =
    <b>{ $n }.</b> { $summary }
    💰 { $price } · 📍 { $place } · 🕒 { $age }
search-nothing = 🔎 «{ $query }» boʻyicha hozir eʼlon yoʻq.
search-nothing-filters = Filtrni olib tashlab koʻring (✖ tugmalari).
search-nothing-save = 🔔 Qidiruvni saqlang: yangi eʼlon chiqsa, xabar beramiz.
search-filter-category = 📂 Toifa
search-filter-region = 📍 Hudud
search-filter-price = 💰 Narx
search-save-button = 🔔 Saqlash
search-back-button = ◀ Orqaga
search-choose-category = Toifani tanlang:
search-choose-region = Hududni tanlang:
search-ask-price = 💰 Narx oraligʻini yozing, masalan: <code>1-3 mln</code>, <code>2 mln gacha</code>, <code>500$ gacha</code>, <code>300 000 dan</code>.
search-price-unreadable = Narxni tushunmadim. Shunday yozing: <code>1-3 mln</code>, <code>500$ gacha</code> yoki <code>300 000 dan</code>.
search-price-mixed = Ikki chekkasi bir xil pulda boʻlsin: soʻmda yoki dollarda.
search-price-upside-down = Kichik narx oldin yoziladi. Teskarisi shumi?
search-price-swap-button = ✅ { $range }
search-outdated = Bu qidiruv eskirgan. 🔎 bilan yangisini boshlang.
search-page-changed = Roʻyxat oʻzgardi: birinchi sahifa.
search-saved = 🔔 Saqlandi. Mos yangi eʼlon chiqsa, xabar beramiz. Roʻyxat: /subs
search-save-full = Sizda { $limit } ta saqlangan qidiruv bor — bu eng koʻpi. Avval /subs da bittasini oʻchiring.
age-now = hozirgina
age-minutes = { $n } daqiqa oldin
age-hours = { $n } soat oldin
age-days = { $n } kun oldin

## Buyers: saved searches
subs-empty = Saqlangan qidiruv yoʻq. 🔎 bilan qidirib, natijalar ostidagi 🔔 ni bosing.
subs-header = 🔔 Saqlangan qidiruvlar ({ $count }/{ $limit }):
subs-item = { $n }. { $search }
subs-delete-button = 🗑 { $n }. { $query }
subs-deleted = 🗑 Oʻchirildi.
subs-gone = Bu qidiruv allaqachon oʻchirilgan.
subs-off = 🔕 Bu qidiruv boʻyicha xabar boshqa kelmaydi.
notice-caption =
    🔔 «{ $query }» boʻyicha yangi eʼlon:
    { $summary }
    💰 { $price } · 📍 { $place }
notice-open-button = 📢 Kanalda koʻrish
notice-off-button = 🔕 Obunani bekor qilish

## Buyers: an ad opened from the channel
ad-page-write-button = ✉️ Sotuvchiga yozish
ad-page-gone = Bu eʼlon endi yoʻq.
ad-page-sold = Eʼlon #{ $id } sotilgan.
ad-page-contact = 📞 Sotuvchi: { $phone }
ad-page-contact-username = 📞 Sotuvchi: { $phone } · @{ $username }
caption-footer-ad = 👉 <a href="{ $link }">Sotuvchi bilan bogʻlanish</a>
digest-header = 🌙 Bugun saqlangan qidiruvlaringizga mos yana { $count } ta eʼlon chiqdi:

## Paid promotion (Telegram Stars)
promo-lift-button = 🚀 Koʻtarish · { $stars } ⭐
promo-pin-button = 📌 Qadash · { $stars } ⭐
my-lift-button = 🚀 Koʻtarish #{ $id }
my-pin-button = 📌 Qadash #{ $id }
promo-kind-lift = 🚀 Koʻtarish
promo-kind-pin = 📌 Qadash
promo-invoice-lift-title = Eʼlon #{ $id }ni koʻtarish
promo-invoice-lift-description = Eʼloningiz hozir kanalga navbatsiz qayta chiqadi va 24 soat qidiruvda birinchi turadi (🚀 belgisi bilan).
promo-invoice-pin-title = Eʼlon #{ $id }ni qadash
promo-invoice-pin-description = Eʼloningiz kanalda 24 soat qadalib turadi. Bir vaqtda bitta eʼlon qadaladi: navbat boʻlsa, sizga qadalganda xabar beramiz.
promo-refused-off = Pullik xizmatlar hozir oʻchirilgan.
promo-refused-not_yours = Bu tugma eskirgan yoki eʼlon sizniki emas.
promo-refused-status = Bu eʼlonga pullik xizmat olib boʻlmaydi: u { $status }.
promo-refused-banned = Sizga eʼlon joylash taqiqlangan, shuning uchun pullik xizmat olib boʻlmaydi.
promo-refused-running = Bu eʼlon uchun shu xizmat allaqachon toʻlangan va hali tugamagan.
promo-refused-price = Narx oʻzgargan. Tugmani qayta bosing.
promo-queued = ⏳ Toʻlov qabul qilindi: { $kind } (eʼlon #{ $id }) navbatda, oldinda { $ahead } ta. Vaqti kelganda xabar beramiz.
promo-lifted = 🚀 Eʼloningiz (#{ $id }) kanalga qayta chiqdi va 24 soat qidiruvda birinchi turadi: { $link }
promo-pinned = 📌 Eʼloningiz (#{ $id }) kanalda 24 soatga qadaldi: { $link }
promo-refunded = ↩️ { $kind } (eʼlon #{ $id }) bajarilmadi, yulduzlar qaytarildi. Sabab: { $reason }
promo-refund-sold = eʼlon sotilgan
promo-refund-removed = eʼlon olib tashlangan
promo-refund-expired = eʼlon muddati oʻtgan
promo-refund-pending = eʼlon hali kanalda emas
promo-refund-approved = eʼlon hali kanalda emas
promo-refund-rejected = eʼlon rad etilgan
promo-refund-published = xizmatni bajarib boʻlmadi
promo-refund-status = eʼlon kanalda emas
promo-refund-banned = eʼlon joylash taqiqlangan
promo-refund-channel = kanal bir soatdan beri postlarni qabul qilmayapti
promo-refund-failed = kanal rad etdi
promo-refund-unknown = kanalda chiqqani tasdiqlanmadi
promo-refund-running = bu xizmat allaqachon toʻlangan
promo-refund-not_yours = eʼlon sizniki emas
promo-refund-off = xizmat oʻchirilgan
promo-refund-price = narx oʻzgargan
caption-lift = 🚀 <b>Tepaga koʻtarildi</b>
paysupport =
    💬 Toʻlov boʻyicha yordam.
    Toʻlangan xizmat bajarilmasa (eʼlon sotilgan, olib tashlangan yoki kanal qabul qilmagan), yulduzlar oʻz-oʻzidan qaytariladi va sizga xabar beriladi.
    Boshqa savol boʻlsa, kanal adminlariga yozing va toʻlov sanasi va eʼlon raqamini ayting. Shartlar: /terms
terms =
    📄 Shartlar
    🚀 Koʻtarish ({ $lift } ⭐): eʼlon kanalga navbatsiz qayta chiqadi va 24 soat qidiruvda birinchi turadi. Soatiga bir nechta eʼlon koʻtariladi, navbat boʻlsa kutadi.
    📌 Qadash ({ $pin } ⭐): eʼlon kanalda 24 soat qadaladi. Bir vaqtda bitta eʼlon qadaladi.
    Faqat kanaldagi oʻz eʼloningizni koʻtarish mumkin. Xizmat bajarilmasa, yulduzlar qaytariladi. Toʻlov Telegram Stars orqali.
revenue-header =
    ⭐ Oxirgi { $days } kun
    Tushum: { $received } ⭐ · Qaytarildi: { $refunded } ⭐ · Sof: { $net } ⭐
revenue-kind = { $kind }: { $count } ta, { $received } ⭐, qaytarildi { $refunded } ⭐
revenue-day = { $day }: { $received } ⭐, qaytarildi { $refunded } ⭐
revenue-chart = ⭐ Oxirgi { $days } kun: yashil — sof tushum, qizil — qaytarilgan
admin-payment-found = ⚠️ Botda yozuvi yoʻq toʻlov topildi (yangilanish yoʻqolgan): { $stars } ⭐, { $kind }, eʼlon #{ $id }, foydalanuvchi { $user_id }, toʻlov { $charge }. Endi bajariladi yoki qaytariladi.
## The catalogue Mini App (vodiy_bozor/webapp): the page's texts
webapp-menu = 🛍 Katalog
webapp-title = Vodiy bozor
webapp-search = Nima qidiryapsiz?
webapp-all-categories = Barcha toifalar
webapp-all-regions = Barcha hududlar
webapp-price-min = Narxdan
webapp-price-max = Narxgacha
webapp-tab-all = E’lonlar
webapp-tab-favourites = ❤️ Saralanganlar
webapp-save-search = 🔔 Qidiruvni saqlash
webapp-search-saved = 🔔 Qidiruv saqlandi: mos yangi e’lonlar haqida botda xabar beramiz.
webapp-search-limit = Saqlangan qidiruvlar 10 tadan oshmaydi. Botda /subs orqali bittasini o‘chiring.
webapp-show-phone = 📞 Telefonni ko‘rsatish
webapp-write-seller = ✉️ Sotuvchiga yozish
webapp-favourite-add = 🤍 Saralanganlarga
webapp-favourite-remove = ❤️ Saralangan
webapp-sold = Sotilgan
webapp-empty = Hech narsa topilmadi.
webapp-favourites-empty = Hali saralangan e’lon yo‘q: e’londagi 🤍 ni bosing.
webapp-error = Yuklab bo‘lmadi.
webapp-retry = 🔄 Qayta urinish
webapp-back = ← Orqaga
webapp-unauthorised = Katalogni botdagi 🛍 tugmasi orqali oching.
webapp-too-many = Juda tez. Bir necha soniyadan so‘ng qayta urinib ko‘ring.
webapp-gone = Bu e’lon endi yo‘q.
webapp-price-unreadable = Narxni tushunib bo‘lmadi. Masalan: 500 ming, 1,5 mln, 300$
webapp-price-currency = Narxning ikkala chegi bir valyutada bo‘lsin (so‘m yoki $).
webapp-price-upside-down = Kichik narx chapda, kattasi o‘ngda bo‘lsin.
webapp-loading = Yuklanmoqda…
webapp-published = Chiqarilgan
webapp-category = Toifa
webapp-place = Manzil
webapp-open = 🛍 Katalog: e’lonlar rasmlari bilan, qidiruv va filtrlar. Ochish uchun tugmani bosing.
webapp-off = Katalog hozir yopiq. 🔎 Qidirish orqali e’lon toping.
